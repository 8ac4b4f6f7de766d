// GET /api/runs — one page of the runs list (experiments folded; filters, sort, cursor);
// POST /api/runs — launch a run (queued for a worker).
import { readJson, route } from "@/lib/server/http";
import { launchRun, launchRunSchema } from "@/lib/server/launch-run";
import { listRunsPage, parseRunsListQuery } from "@/lib/server/runs-list";
import { parseLabelled } from "@/lib/util/field-labels";

export const dynamic = "force-dynamic";

export const GET = route("run:read", async (request, _params, { principal }) => {
  return listRunsPage(principal, parseRunsListQuery(new URL(request.url).searchParams));
});

export const POST = route("run:create", async (request, _params, { principal, ip }) => {
  const input = parseLabelled(launchRunSchema, await readJson(request));
  return Response.json(await launchRun(input, principal, ip), { status: 201 });
});
