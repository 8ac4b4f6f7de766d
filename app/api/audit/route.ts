// GET /api/audit — the audit log, newest first (admins only).
import { listAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route("audit:read", async () => ({ events: await listAudit(getDb()) }));
