"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { sendJson } from "../ui/fetch-json";

/**
 * Email/password form shared by sign-in, first-run setup and invitation acceptance: posts the
 * fields (plus `extra`) to `endpoint` and goes to `next` on success.
 */
export function CredentialsForm({ endpoint, submitLabel, next = "/", extra = {}, askEmail = true, askName = false }: {
  endpoint: string;
  submitLabel: string;
  next?: string;
  extra?: Record<string, string>;
  askEmail?: boolean;
  askName?: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await sendJson(endpoint, { ...Object.fromEntries(form.entries()), ...extra });
      router.push(next);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} aria-label={submitLabel} style={{ maxWidth: 380 }}>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      {askName ? (
        <div className="field"><label htmlFor="name">Name</label><input id="name" name="name" type="text" autoComplete="name" /></div>
      ) : null}
      {askEmail ? (
        <div className="field"><label htmlFor="email">Email</label><input id="email" name="email" type="text" autoComplete="username" required /></div>
      ) : null}
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete={askName ? "new-password" : "current-password"} required />
      </div>
      <button type="submit" disabled={busy}>{busy ? "…" : submitLabel}</button>
    </form>
  );
}
