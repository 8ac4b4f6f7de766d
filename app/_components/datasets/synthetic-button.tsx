"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "../ui/fetch-json";

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
            const created = await sendJson<{ id: string }>("/api/datasets/synthetic", { name: `Synthetic ${new Date().toISOString().slice(0, 16).replace("T", " ")}` });
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
