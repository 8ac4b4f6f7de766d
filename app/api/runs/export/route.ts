// GET /api/runs/export?datasetId= — runs with their test metrics as CSV.
import { z } from "zod";
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { toCsv } from "@/lib/reports/csv";
import { csvResponse } from "@/lib/server/csv-response";
import { route } from "@/lib/server/http";
import { listRuns } from "@/lib/server/list-runs";

export const dynamic = "force-dynamic";

const querySchema = z.object({ datasetId: z.string().min(1).optional() });

export const GET = route("run:export", async (request, _params, { principal, ip }) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const runs = await listRuns(principal, query);
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics ?? {})))].sort();
  await recordAudit(getDb(), { actor: principal, action: "export", target: "runs.csv", detail: `${runs.length} runs`, ip });
  return csvResponse(
    "reclab-runs.csv",
    toCsv(runs, [
      { header: "run_id", value: (r) => r.id },
      { header: "name", value: (r) => r.name },
      { header: "model", value: (r) => r.modelName },
      { header: "dataset", value: (r) => r.datasetName },
      { header: "status", value: (r) => r.status },
      { header: "created_at", value: (r) => r.createdAt },
      ...metricKeys.map((key) => ({ header: key, value: (r: (typeof runs)[number]) => r.metrics?.[key] })),
    ]),
  );
});
