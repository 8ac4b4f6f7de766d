// GET /api/runs/:id/users/:user — one test user: history, top-K with reasons, optional re-ranker diff.
import { drillDownQuerySchema, getUserDrillDown } from "@/lib/server/get-user-drill-down";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string; user: string }>("run:inspect-user", async (request, { id, user }, { principal }) => {
  const query = drillDownQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { drillDown: await getUserDrillDown(id, decodeURIComponent(user), principal, query) };
});
