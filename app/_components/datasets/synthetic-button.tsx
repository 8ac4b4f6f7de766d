"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { sendJson } from "../ui/fetch-json";
import { JobProgress } from "../ui/job-progress";

/**
 * Generates a synthetic dataset with known ground truth (for demos and sanity checks): queues the
 * job, shows its progress with Cancel, and opens the new dataset when the worker is done.
 */
export function SyntheticButton() {
  const router = useRouter();
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => sendJson<{ jobId: string }>("/api/datasets/synthetic", { name: `Synthetic ${new Date().toISOString().slice(0, 16).replace("T", " ")}` }),
    onSuccess: (queued) => setJobId(queued.jobId),
  });
  const opened = useCallback(
    (result: Record<string, unknown>) => {
      if (typeof result.datasetId === "string") router.push(`/datasets/${result.datasetId}`);
      else router.refresh();
    },
    [router],
  );
  return (
    <span className="actions">
      <button type="button" className="secondary" disabled={start.isPending || jobId !== null} onClick={() => start.mutate()}>
        {start.isPending || jobId ? "Generating…" : "Generate synthetic dataset"}
      </button>
      {start.error ? <span className="muted">{start.error.message}</span> : null}
      {jobId ? <JobProgress jobId={jobId} testId="synthetic-progress" onSucceeded={opened} onDismiss={() => setJobId(null)} /> : null}
    </span>
  );
}
