"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "../ui/fetch-json";

export function DeleteDatasetButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="danger"
      disabled={busy}
      onClick={async () => {
        if (!window.confirm(`Delete "${name}" and every run trained on it? This cannot be undone.`)) return;
        setBusy(true);
        try {
          await fetchJson(`/api/datasets/${id}`, { method: "DELETE" });
          router.push("/datasets");
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
