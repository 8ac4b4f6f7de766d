// GET /api/ready — readiness: database (and Redis when REDIS_URL is set) reachable within 2 s, every migration applied (503 otherwise).
import { getDbHandle } from "@/lib/db/client";
import { checkReadiness } from "@/lib/ops/readiness";
import { publicRoute } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => {
  const { db, url } = getDbHandle();
  const readiness = await checkReadiness(db, { databaseUrl: url });
  return Response.json(readiness, { status: readiness.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
});
