"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { JobView } from "@/lib/server/dto";
import { fetchJson } from "./fetch-json";
import { ProgressBar } from "./progress-bar";
import { pollWithBackoff } from "./poll-backoff";

const isOpen = (status?: string) => status === "QUEUED" || status === "RUNNING";

const pollJob = pollWithBackoff<{ job: JobView }>({ open: (d) => isOpen(d.job.status) });

export const jobQueryOptions = (id: string) => ({
  queryKey: ["job", id],
  queryFn: () => fetchJson<{ job: JobView }>(`/api/jobs/${id}`),
  refetchInterval: pollJob,
});

/**
 * A background job, live: its progress bar and message with a Cancel button while it runs, then
 * its error (or "cancelled") with a Dismiss button; `onSucceeded` gets the job's result once.
 */
export function JobProgress({ jobId, onSucceeded, onDismiss, testId }: { jobId: string; onSucceeded: (result: Record<string, unknown>) => void; onDismiss: () => void; testId?: string }) {
  const queryClient = useQueryClient();
  const { data, error } = useQuery(jobQueryOptions(jobId));
  const job = data?.job;
  const cancel = useMutation({
    mutationFn: () => fetchJson(`/api/jobs/${jobId}/cancel`, { method: "POST" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["job", jobId] }),
  });
  const reported = useRef(false);
  useEffect(() => {
    if (job?.status === "SUCCEEDED" && !reported.current) {
      reported.current = true;
      onSucceeded(job.result ?? {});
    }
  }, [job, onSucceeded]);

  if (!job || isOpen(job.status) || job.status === "SUCCEEDED") {
    const text = job?.status === "SUCCEEDED" ? "done" : (job?.message ?? (job?.status === "RUNNING" ? "starting" : "waiting for a worker"));
    return (
      <div className="job-progress" data-testid={testId}>
        <ProgressBar value={job?.progress ?? 0} text={error ? `${text} (${error.message})` : text} />
        {job && isOpen(job.status) ? (
          <button type="button" className="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending || job.cancelRequested}>
            {job.cancelRequested ? "Cancelling…" : "Cancel"}
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <div className="job-progress" data-testid={testId}>
      <span role="alert" className="muted">{job.status === "CANCELLED" ? "Cancelled." : `Failed: ${job.error ?? "unknown error"}`}</span>
      <button type="button" className="secondary" onClick={onDismiss}>Dismiss</button>
    </div>
  );
}
