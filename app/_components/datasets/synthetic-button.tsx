"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "../ui/fetch-json";

/** Generates a synthetic dataset with known ground truth (for demos and sanity checks). */
export function SyntheticButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="actions">
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const created = await fetchJson<{ id: string }>("/api/datasets/synthetic", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ name: `Synthetic ${new Date().toISOString().slice(0, 16).replace("T", " ")}` }),
            });
            router.push(`/datasets/${created.id}`);
          } catch (e) {
            setError((e as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? "Generating…" : "Generate synthetic dataset"}
      </button>
      {error ? <span className="muted">{error}</span> : null}
    </span>
  );
}
