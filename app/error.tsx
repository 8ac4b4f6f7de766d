"use client";
import { ErrorPanel } from "./_components/layout/error-panel";

/** A page that threw: shown inside the app's layout, with the navigation still there. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel error={error} reset={reset} />;
}
