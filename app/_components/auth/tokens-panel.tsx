"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { ApiTokenView } from "@/lib/auth/api-tokens";
import { ROLES, roleRank, type Role } from "@/lib/auth/policy";
import { fetchJson, sendJson } from "../ui/fetch-json";

/** Personal API tokens: create (secret shown once), list, revoke. */
export function TokensPanel({ tokens, role }: { tokens: ApiTokenView[]; role: Role }) {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      const created = await sendJson<{ token: string }>("/api/tokens", { name: form.get("name"), role: form.get("role") });
      setSecret(created.token);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function revoke(id: string) {
    await fetchJson(`/api/tokens/${id}`, { method: "DELETE" }).catch((e: Error) => setError(e.message));
    router.refresh();
  }
  return (
    <>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      <section className="panel">
        <h2>New token</h2>
        <form onSubmit={create} aria-label="New token">
          <div className="row">
            <div className="field"><label htmlFor="token-name">Name</label><input id="token-name" name="name" type="text" required placeholder="e.g. CI pipeline" /></div>
            <div className="field">
              <label htmlFor="token-role">Role</label>
              <select id="token-role" name="role" defaultValue={role}>
                {ROLES.filter((r) => roleRank(r) <= roleRank(role)).map((r) => <option key={r} value={r}>{r}</option>)}
              </select>
            </div>
          </div>
          <button type="submit">Create token</button>
        </form>
        {secret ? (
          <div className="alert ok" data-testid="new-token">Copy it now, it will not be shown again: <code className="secret">{secret}</code></div>
        ) : null}
      </section>
      <section className="panel">
        <h2>Your tokens</h2>
        {tokens.length === 0 ? <div className="empty">No tokens yet.</div> : (
          <table className="data">
            <thead><tr><th>Name</th><th>Role</th><th>Created</th><th>Last used</th><th /></tr></thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td className="muted">{new Date(t.createdAt).toLocaleDateString("en-GB")}</td>
                  <td className="muted">{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString("en-GB") : "never"}</td>
                  <td>{t.revokedAt ? <span className="muted">revoked</span> : <button type="button" className="danger" onClick={() => revoke(t.id)}>Revoke</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
