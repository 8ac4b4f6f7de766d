"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "./fetch-json";

/** A Delete button: confirms, calls DELETE `url`, reports what went (optional), then goes to `then`. */
export function DeleteButton<T>({ url, confirm, then, report }: { url: string; confirm: string; then: string; report?: (deleted: T) => string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="danger"
      disabled={busy}
      onClick={async () => {
        if (!window.confirm(confirm)) return;
        setBusy(true);
        try {
          const deleted = await fetchJson<T>(url, { method: "DELETE" });
          if (report) window.alert(report(deleted));
          router.push(then);
          router.refresh();
        } catch (e) {
          window.alert((e as Error).message);
          setBusy(false);
        }
      }}
    >
      Delete
    </button>
  );
}
