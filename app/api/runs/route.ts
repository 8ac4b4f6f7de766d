// GET /api/runs?datasetId= — list runs; POST /api/runs — launch a run (queued for a worker).
import { z } from "zod";
import { readJson, route } from "@/lib/server/http";
import { launchRun, launchRunSchema } from "@/lib/server/launch-run";
import { listRuns } from "@/lib/server/list-runs";

export const dynamic = "force-dynamic";

const listQuerySchema = z.object({ datasetId: z.string().min(1).optional() });

export const GET = route("run:read", async (request, _params, { principal }) => {
  const query = listQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { runs: await listRuns(principal, query) };
});

export const POST = route("run:create", async (request, _params, { principal, ip }) => {
  const input = launchRunSchema.parse(await readJson(request));
  return Response.json(await launchRun(input, principal, ip), { status: 201 });
});
