// GET /api/ab-tests/:id — one A/B test with its analysis; DELETE — delete it (its job is cancelled).
import { route } from "@/lib/server/http";
import { deleteAbTest, getAbTestOrThrow } from "@/lib/server/ab-tests";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("abtest:read", async (_request, { id }, { principal }) => ({ abTest: await getAbTestOrThrow(id, principal) }));

export const DELETE = route<{ id: string }>("abtest:delete", async (_request, { id }, { principal, ip }) => deleteAbTest(id, principal, ip));
