// GET /api/runs/export?datasetId= — every run the caller may see with its test metrics, as CSV
// streamed in pages (lib/server/runs-export.ts).
import { z } from "zod";
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { csvStreamResponse } from "@/lib/server/csv-response";
import { route } from "@/lib/server/http";
import { parseQueryParams } from "@/lib/server/paging";
import { runsExportColumns, runSummaryPages, scanRunMetrics } from "@/lib/server/runs-export";

export const dynamic = "force-dynamic";

const querySchema = z.object({ datasetId: z.string().min(1).max(200).optional() });

export const GET = route("run:export", async (request, _params, { principal, ip }) => {
  const query = parseQueryParams(querySchema, new URL(request.url).searchParams);
  const { count, metricKeys } = await scanRunMetrics(principal, query);
  await recordAudit(getDb(), { actor: principal, action: "export", target: "runs.csv", detail: `${count} runs`, ip });
  return csvStreamResponse("reclab-runs.csv", runsExportColumns(metricKeys), runSummaryPages(principal, query));
});
