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
  const [notice, setNotice] = useState<string | null>(null);
  const proceed = () => {
    router.push(next);
    router.refresh();
  };
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const answer = await sendJson<{ notice?: string | null }>(endpoint, { ...Object.fromEntries(form.entries()), ...extra });
      // The sign-in API reports failed attempts since the last sign-in once; show it before moving on.
      if (answer?.notice) setNotice(answer.notice);
      else proceed();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }
  if (notice) {
    return (
      <div style={{ maxWidth: 380 }}>
        <div className="alert error" role="alert" data-testid="sign-in-notice">{notice}. If that was not you, change your password.</div>
        <button type="button" onClick={proceed}>Continue</button>
      </div>
    );
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
