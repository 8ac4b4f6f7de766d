// GET /api/runs/:id/bias?groupBy= — bias and diversity report: group gaps with CIs and p-values, exposure, verdicts.
import { biasQuerySchema, getBiasReport } from "@/lib/server/get-bias-report";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("report:read", async (request, { id }, { principal }) => {
  const query = biasQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { report: await getBiasReport(id, principal, query) };
});
