// GET /api/experiments?datasetId= — list experiments with progress; POST /api/experiments — plan and queue one.
import { z } from "zod";
import { readJson, route } from "@/lib/server/http";
import { launchExperiment, launchExperimentSchema } from "@/lib/server/launch-experiment";
import { listExperiments } from "@/lib/server/list-experiments";
import { parseLabelled } from "@/lib/util/field-labels";

export const dynamic = "force-dynamic";

const listQuerySchema = z.object({ datasetId: z.string().min(1).optional().describe("Only experiments on this dataset") });

export const GET = route("experiment:read", async (request, _params, { principal }) => {
  const query = listQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { experiments: await listExperiments(principal, query) };
});

export const POST = route("experiment:create", async (request, _params, { principal, ip }) => {
  const input = parseLabelled(launchExperimentSchema, await readJson(request));
  return Response.json(await launchExperiment(input, principal, ip), { status: 201 });
});
