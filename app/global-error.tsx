"use client";
import "./globals.css";
import { ErrorPanel } from "./_components/layout/error-panel";

/** The root layout itself failed: a minimal page of our own instead of the framework's. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main id="content" className="status-main">
          <ErrorPanel error={error} reset={reset} />
        </main>
      </body>
    </html>
  );
}
