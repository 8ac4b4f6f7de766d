"use client";
import { useState, type FormEvent } from "react";
import type { UserView } from "@/lib/auth/accounts";
import { ROLES } from "@/lib/auth/policy";
import { sendJson } from "../ui/fetch-json";
import { useRefreshingAction } from "../ui/use-refreshing-action";

/** Admin: invite people with a role, change roles, disable accounts, unlock sign-in. */
export function UsersAdmin({ users, selfId }: { users: UserView[]; selfId: string | null }) {
  const [invitePath, setInvitePath] = useState<string | null>(null);
  const { act, error, setError } = useRefreshingAction();

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      const created = await sendJson<{ path: string }>("/api/users/invites", { email: form.get("email"), role: form.get("role"), teamId: form.get("teamId") || undefined });
      setInvitePath(created.path);
      event.currentTarget?.reset();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const update = (id: string, patch: Record<string, unknown>) => act(() => sendJson(`/api/users/${id}`, patch, "PATCH"));
  const unlock = (id: string) => act(() => sendJson(`/api/users/${id}/unlock`, {}));

  return (
    <>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      <section className="panel">
        <h2>Invite someone</h2>
        <form onSubmit={invite} aria-label="Invite">
          <div className="row">
            <div className="field"><label htmlFor="invite-email">Email</label><input id="invite-email" name="email" type="text" required /></div>
            <div className="field">
              <label htmlFor="invite-role">Role</label>
              <select id="invite-role" name="role" defaultValue="analyst">{ROLES.map((r) => <option key={r} value={r}>{r}</option>)}</select>
            </div>
            <div className="field"><label htmlFor="invite-team">Team</label><input id="invite-team" name="teamId" type="text" placeholder="default" /></div>
          </div>
          <button type="submit">Create invitation</button>
        </form>
        {invitePath ? (
          <div className="alert ok" data-testid="invite-link">
            Send this link (shown once): <code className="secret">{typeof window === "undefined" ? invitePath : `${window.location.origin}${invitePath}`}</code>
          </div>
        ) : null}
      </section>
      <section className="panel">
        <h2>Accounts</h2>
        <table className="data" data-testid="users-table">
          <thead><tr><th>Email</th><th>Role</th><th>Team</th><th>Status</th><th>Since</th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>
                  <select aria-label={`role of ${u.email}`} value={u.role} disabled={u.id === selfId} onChange={(e) => update(u.id, { role: e.target.value })}>
                    {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                </td>
                <td>{u.teamId}</td>
                <td>
                  {u.lockedUntil ? (
                    <>
                      <span className="badge FAILED" title={`sign-in backing off until ${new Date(u.lockedUntil).toLocaleString("en-GB")}`}>locked</span>{" "}
                      <button type="button" className="secondary" onClick={() => unlock(u.id)}>Unlock</button>
                    </>
                  ) : null}{" "}
                  {u.id === selfId ? <span className="muted">you</span> : (
                    <button type="button" className={u.disabled ? "secondary" : "danger"} onClick={() => update(u.id, { disabled: !u.disabled })}>
                      {u.disabled ? "Enable" : "Disable"}
                    </button>
                  )}
                </td>
                <td className="muted">{new Date(u.createdAt).toLocaleDateString("en-GB")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
