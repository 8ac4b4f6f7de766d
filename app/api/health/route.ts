// GET /api/health — liveness plus database reachability.
import { getDbHandle } from "@/lib/db/client";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const { db, provider } = getDbHandle();
  await db.dataset.count();
  return { ok: true, database: provider };
});
