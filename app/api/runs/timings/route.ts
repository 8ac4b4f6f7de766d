// GET /api/runs/timings?datasetId=&modelId= — seconds per epoch of earlier runs, for the launch form's time estimate.
import { route } from "@/lib/server/http";
import { getRunTimings, runTimingsQuerySchema } from "@/lib/server/run-timings";

export const dynamic = "force-dynamic";

export const GET = route("run:read", async (request, _params, { principal }) =>
  getRunTimings(runTimingsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams)), principal),
);
