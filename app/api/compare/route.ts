// GET /api/compare?runs=a,b,c&metric=ndcg@10&split=auto — metric table, CIs, curves and paired tests.
import { compareQuerySchema, compareRuns } from "@/lib/server/compare-runs";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route("run:read", async (request, _params, { principal }) => {
  const query = compareQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { comparison: await compareRuns(query, principal) };
});
