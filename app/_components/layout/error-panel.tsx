import Link from "next/link";

/**
 * The reference to quote when reporting an error: the server's digest (the message of a server
 * error never reaches the browser), else a "ref …" id the message carries (lib/errors.ts).
 */
export function errorReference(error: Error & { digest?: string }): string | null {
  if (error.digest) return error.digest;
  return /\bref ([A-Za-z0-9-]+)/.exec(error.message)?.[1] ?? null;
}

/** The body of the 500 pages: what happened, the reference id, a retry and a way back. */
export function ErrorPanel({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const ref = errorReference(error);
  return (
    <div className="panel status-page" role="alert" data-testid="error-page">
      <p className="status-code" aria-hidden="true">500</p>
      <h1>Something went wrong</h1>
      <p>This page could not be shown. Nothing you saved is lost; running jobs keep running in their workers.</p>
      {ref ? (
        <p>
          Reference: <code data-testid="error-ref">{ref}</code> — quote it to your admin; the details are in the server log.
        </p>
      ) : null}
      <div className="actions">
        <button type="button" onClick={reset}>Try again</button>
        <Link className="button secondary" href="/">Back to the overview</Link>
      </div>
    </div>
  );
}
