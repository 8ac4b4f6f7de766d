// GET /api/audit/export — the whole audit log as CSV, newest first, streamed in pages (admins only).
import { auditPages, recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/server/http";
import { csvStreamResponse } from "@/lib/server/csv-response";

export const dynamic = "force-dynamic";

export const GET = route("audit:read", async (_request, _params, { principal, ip }) => {
  const db = getDb();
  // Recorded first, so the export lists itself: the log never leaves out who read it.
  await recordAudit(db, { actor: principal, action: "export", target: "audit-log", ip });
  return csvStreamResponse("reclab-audit-log.csv", [
    { header: "at", value: (e) => e.at },
    { header: "actor", value: (e) => e.actorEmail },
    { header: "action", value: (e) => e.action },
    { header: "target", value: (e) => e.target },
    { header: "detail", value: (e) => e.detail },
    { header: "ip", value: (e) => e.ip },
  ], auditPages(db));
});
