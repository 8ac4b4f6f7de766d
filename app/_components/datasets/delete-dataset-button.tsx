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
        if (!window.confirm(`Delete "${name}" and every run and A/B test made from it? This cannot be undone.`)) return;
        setBusy(true);
        try {
          const deleted = await fetchJson<{ deletedRuns: number; deletedMetricPoints: number; deletedArtifacts: number; deletedBlobs: number; deletedAbTests: number }>(`/api/datasets/${id}`, { method: "DELETE" });
          window.alert(
            `Deleted "${name}" and everything derived from it: ${deleted.deletedRuns} runs, ${deleted.deletedMetricPoints} learning-curve points, ${deleted.deletedArtifacts} artefacts (models, per-user metrics), ${deleted.deletedBlobs} data blocks, ${deleted.deletedAbTests} A/B tests.`,
          );
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
