"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";

/**
 * Runs an API call from a server-rendered page, then refreshes the page's data; a failure's
 * message lands in `error` for an alert. `busy` is true while a call is in flight.
 */
export function useRefreshingAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function act(request: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await request();
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return { act, error, setError, busy };
}
