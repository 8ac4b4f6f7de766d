// GET /api/runs/:id/history?maxPoints= — learning curves (validation metrics, loss) by epoch.
import { z } from "zod";
import { getRunHistory } from "@/lib/server/get-run-or-throw";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

const querySchema = z.object({ maxPoints: z.coerce.number().int().min(2).max(5000).default(500) });

export const GET = route<{ id: string }>("run:read", async (request, { id }, { principal }) => {
  const { maxPoints } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { history: await getRunHistory(id, principal, maxPoints) };
});
