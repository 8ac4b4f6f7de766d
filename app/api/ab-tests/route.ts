// GET /api/ab-tests — list A/B tests (paginated); POST /api/ab-tests — create a simulated test (queued for a worker).
import { readJson, route } from "@/lib/server/http";
import { createSimulatedAbTest, listAbTests, listAbTestsQuerySchema } from "@/lib/server/ab-tests";

export const dynamic = "force-dynamic";

export const GET = route("abtest:read", async (request, _params, { principal }) => {
  const query = listAbTestsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listAbTests(principal, query);
});

export const POST = route("abtest:create", async (request, _params, { principal, ip }) => {
  return Response.json(await createSimulatedAbTest(await readJson(request), principal, ip), { status: 202 });
});
