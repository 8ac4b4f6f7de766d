"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { QueueStatus } from "@/lib/server/get-queue-status";
import { fetchJson } from "./fetch-json";
import { pollWithBackoff } from "./poll-backoff";

/**
 * Why work is still waiting: the place in the queue of the first of `targets` (run pages' paths) and what each busy worker is doing. Shown
 * while a run or experiment is queued; polls while mounted, less often while nothing changes.
 */
// The queue changes with every job; backing off from 2 s to 30 s spares a dashboard left open.
const pollQueue = pollWithBackoff<{ queue: QueueStatus }>({ base: 2000 });

export function QueuePanel({ targets }: { targets: string[] }) {
  const { data, error } = useQuery({
    queryKey: ["queue"],
    queryFn: () => fetchJson<{ queue: QueueStatus }>("/api/queue"),
    refetchInterval: pollQueue,
  });
  if (error) return <p className="muted">Queue unavailable: {error.message}</p>;
  if (!data) return <p className="muted">Reading the queue…</p>;
  const { queue } = data;
  // The first waiting job among the targets (a run, or an experiment's runs) says where they stand.
  const mine = queue.mine.find((j) => j.href !== null && targets.includes(j.href));
  return (
    <div className="queue-panel" data-testid="queue-panel" aria-live="polite">
      <p>
        {mine ? (
          <>Waiting: <strong>position {mine.position}</strong> of {queue.waiting}{queue.waitingCapped ? "+" : ""} jobs in the queue.</>
        ) : (
          <>{queue.waiting}{queue.waitingCapped ? "+" : ""} jobs waiting.</>
        )}{" "}
        {queue.running.length === 0
          ? "No worker is busy: a worker picks this up as soon as one is running (npm run worker)."
          : `${queue.running.length} ${queue.running.length === 1 ? "job is" : "jobs are"} running:`}
      </p>
      {queue.running.length > 0 ? (
        <ul className="sentences">
          {queue.running.map((job, index) => (
            <li key={job.jobId || `other-${index}`}>
              <span className="mono">{job.worker ?? "a worker"}</span> runs {job.href ? <Link href={job.href}>{job.label}</Link> : job.label}
              {job.progressMessage ? <> — {job.progressMessage}</> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
