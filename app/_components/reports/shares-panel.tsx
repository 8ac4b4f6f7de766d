"use client";
import type { ShareLinkView } from "@/lib/server/share-links";
import { fetchJson, sendJson } from "../ui/fetch-json";
import { useRefreshingAction } from "../ui/use-refreshing-action";

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "never");

/** The team's share links with Revoke, and for admins the switch that turns sharing on or off. */
export function SharesPanel({ links, enabled, mayManage }: { links: ShareLinkView[]; enabled: boolean; mayManage: boolean }) {
  const { act, error, busy } = useRefreshingAction();

  return (
    <>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      {mayManage ? (
        <section className="panel" aria-labelledby="sharing-switch-title">
          <h2 id="sharing-switch-title">Sharing</h2>
          <p data-testid="sharing-state">
            {enabled
              ? "Sharing is on: analysts and admins can create read-only links."
              : "Sharing is off: no new links can be created, and every existing link answers “not found” until sharing is turned back on."}
          </p>
          <button type="button" className={enabled ? "danger" : undefined} disabled={busy} onClick={() => act(() => sendJson("/api/admin/sharing", { enabled: !enabled }, "PUT"))}>
            {enabled ? "Turn sharing off" : "Turn sharing on"}
          </button>
        </section>
      ) : !enabled ? (
        <div className="alert warn">An admin has turned sharing off: links cannot be created and existing ones do not open.</div>
      ) : null}
      <section className="panel">
        <h2>Links</h2>
        {links.length === 0 ? (
          <div className="empty">No share links yet. Open a report and choose Export → Share link….</div>
        ) : (
          <div className="table-scroll">
            <table className="data" data-testid="share-links">
              <thead>
                <tr><th>Report</th><th>Created</th><th>By</th><th>Expires</th><th>Last opened</th><th>Status</th><th /></tr>
              </thead>
              <tbody>
                {links.map((l) => (
                  <tr key={l.id} data-testid="share-link-row">
                    <td>{l.label}</td>
                    <td className="muted">{when(l.createdAt)}</td>
                    <td className="muted">{l.createdBy ?? "—"}</td>
                    <td className="muted">{when(l.expiresAt)}</td>
                    <td className="muted">{when(l.lastOpenedAt)}</td>
                    <td>{l.status}</td>
                    <td>
                      {l.status === "active" ? (
                        <button type="button" className="danger" disabled={busy} onClick={() => act(() => fetchJson(`/api/reports/shares/${l.id}`, { method: "DELETE" }))}>Revoke</button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
