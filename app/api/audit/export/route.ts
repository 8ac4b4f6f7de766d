// GET /api/audit/export — the audit log as CSV (admins only).
import { listAudit, recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { toCsv } from "@/lib/reports/csv";
import { route } from "@/lib/server/http";
import { csvResponse } from "@/lib/server/csv-response";

export const dynamic = "force-dynamic";

export const GET = route("audit:read", async (_request, _params, { principal, ip }) => {
  const db = getDb();
  const events = await listAudit(db, 100_000);
  await recordAudit(db, { actor: principal, action: "export", target: "audit-log", ip });
  return csvResponse(
    "reclab-audit-log.csv",
    toCsv(events, [
      { header: "at", value: (e) => e.at },
      { header: "actor", value: (e) => e.actorEmail },
      { header: "action", value: (e) => e.action },
      { header: "target", value: (e) => e.target },
      { header: "detail", value: (e) => e.detail },
      { header: "ip", value: (e) => e.ip },
    ]),
  );
});
