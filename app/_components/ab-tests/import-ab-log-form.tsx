"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fetchJson } from "../ui/fetch-json";

/** Uploads an A/B log CSV (streamed to the server, read by a worker) and opens the test. */
export function ImportAbLogForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      const created = await fetchJson<{ id: string }>("/api/ab-tests/import", { method: "POST", body: new FormData(event.currentTarget) });
      router.push(`/ab-tests/${created.id}`);
    } catch (e) {
      setError((e as Error).message);
      setSubmitting(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Import an A/B log">
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      <div className="row">
        <div className="field">
          <label htmlFor="ab-import-name">Test name</label>
          <input id="ab-import-name" name="name" type="text" required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="ab-import-ratio">Assignment ratio (optional)</label>
          <input id="ab-import-ratio" name="ratio" type="text" placeholder="1,1" maxLength={100} />
          <span className="hint">Weights of the arms in order of first appearance in the log; default equal. The sample-ratio check compares the users per arm with it.</span>
        </div>
      </div>
      <div className="field">
        <label htmlFor="ab-import-log">A/B log (CSV)</label>
        <input id="ab-import-log" name="log" type="file" accept=".csv,text/csv" required />
        <span className="hint">
          A header row, then one row per user visit: <code>user,arm,timestamp,impressions,clicks,dwell_seconds,conversion</code>. A bad row refuses the whole
          file with its line and column; nothing is half-imported.
        </span>
      </div>
      <button type="submit" disabled={submitting}>{submitting ? "Uploading…" : "Import"}</button>
    </form>
  );
}
