import { listAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function AuditPage() {
  await requirePagePrincipal("audit:read");
  const events = await listAudit(getDb(), 500);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <div className="sub">Who did what and when: sign-ins, uploads, deletions, launches, exports, role changes.</div>
        </div>
        <a className="button secondary" href="/api/audit/export">Export CSV</a>
      </div>
      <div className="panel">
        <table className="data" data-testid="audit-table">
          <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Detail</th><th>Address</th></tr></thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td className="muted">{new Date(e.at).toLocaleString("en-GB")}</td>
                <td>{e.actorEmail ?? "–"}</td>
                <td><code>{e.action}</code></td>
                <td>{e.target ?? ""}</td>
                <td>{e.detail ?? ""}</td>
                <td className="muted">{e.ip ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
