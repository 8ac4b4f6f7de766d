// GET /api/health — liveness plus database reachability.
import { getDbHandle } from "@/lib/db/client";
import { publicRoute } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => {
  const { db, provider } = getDbHandle();
  await db.dataset.count();
  return { ok: true, database: provider };
});
