"use client";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { toTargetInput, type ExportableTarget } from "@/lib/reports/report-target";
import { sendJson } from "../ui/fetch-json";

export const EXPIRY_CHOICES: { hours: number; label: string }[] = [
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "1 day" },
  { hours: 7 * 24, label: "7 days" },
  { hours: 30 * 24, label: "30 days" },
  { hours: 90 * 24, label: "90 days" },
];

/**
 * "Share link…": choose how long the link lives, create it, and see its URL once (with a copy
 * button). The URL holds the only copy of the token; RecLab keeps its hash.
 */
export function ShareDialog({ target, onClose }: { target: ExportableTarget; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [hours, setHours] = useState(7 * 24);
  const [created, setCreated] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      setCreated(await sendJson<{ url: string; expiresAt: string }>("/api/reports/shares", { target: toTargetInput(target), expiresInHours: hours }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied(true);
    } catch {
      // No clipboard (plain http off localhost): select the text for Ctrl+C instead.
      (document.getElementById("share-url") as HTMLInputElement | null)?.select();
    }
  }

  return (
    <dialog ref={dialog} className="share-dialog" aria-labelledby="share-dialog-title" onClose={onClose} data-testid="share-dialog">
      <h2 id="share-dialog-title">Share a read-only link</h2>
      <p className="muted">Anyone with the link can read this one report, without an account, until it expires or is revoked. Nothing else in RecLab is reachable from it.</p>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      {created ? (
        <>
          <div className="field">
            <label htmlFor="share-url">Link (shown only now)</label>
            <input id="share-url" type="text" readOnly value={created.url} onFocus={(e) => e.currentTarget.select()} data-testid="share-url" />
          </div>
          <p className="muted">Expires {new Date(created.expiresAt).toLocaleString("en-GB")}. Revoke it any time under <Link href="/settings/shares">Share links</Link>.</p>
          <div className="actions">
            <button type="button" onClick={copy}>{copied ? "Copied" : "Copy link"}</button>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>Done</button>
          </div>
        </>
      ) : (
        <>
          <div className="field">
            <label htmlFor="share-expiry">Expires after</label>
            <select id="share-expiry" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
              {EXPIRY_CHOICES.map((c) => <option key={c.hours} value={c.hours}>{c.label}</option>)}
            </select>
          </div>
          <div className="actions">
            <button type="button" onClick={create} disabled={busy}>{busy ? "Creating…" : "Create link"}</button>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>Cancel</button>
          </div>
        </>
      )}
    </dialog>
  );
}
