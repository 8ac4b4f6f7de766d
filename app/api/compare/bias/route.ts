// GET /api/compare/bias?runs=a,b&groupBy= — bias reports of 2–4 runs side by side.
import { compareBiasQuerySchema, getBiasComparison } from "@/lib/server/get-bias-report";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route("report:read", async (request, _params, { principal }) => {
  const query = compareBiasQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return await getBiasComparison(query, principal);
});
