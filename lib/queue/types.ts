/**
 * The job queue seam. A job moves QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED; a RUNNING
 * job whose lease expires (its worker died) goes back to QUEUED until attempts run out.
 * Implementations: database-backed (lib/queue/db-queue.ts, SQLite and PostgreSQL, the embedded
 * default) and BullMQ on Redis (lib/queue/bull-queue.ts, selected by REDIS_URL), which keeps the
 * same Job rows as the record and uses Redis for dispatch, locks, retries and stall recovery.
 */

import type { LifecycleStatus } from "../util/lifecycle";

export { LIFECYCLE_STATUSES as JOB_STATUSES } from "../util/lifecycle";
export type JobStatus = LifecycleStatus;

export interface JobRecord {
  id: string;
  name: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  /** Worker that holds the lease while RUNNING. */
  lockedBy: string | null;
  leaseUntil: Date | null;
  progress: number | null;
  progressMessage: string | null;
  cancelRequested: boolean;
  error: string | null;
  result: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface EnqueueOptions {
  maxAttempts?: number;
  /** Higher runs first. */
  priority?: number;
  availableAt?: Date;
}

export interface ClaimOptions {
  /** Only claim jobs with these names (default: any). */
  names?: string[];
  leaseMs: number;
}

export interface HeartbeatResult {
  /** False when the lease was lost (expired and taken over, or the job was finished elsewhere). */
  owned: boolean;
  cancelRequested: boolean;
}

export interface JobQueue {
  enqueue(name: string, payload: unknown, options?: EnqueueOptions): Promise<JobRecord>;
  /**
   * Atomically takes the oldest available QUEUED job (highest priority first) for `workerId`.
   * Two workers never receive the same job. Call requeueExpired() before, to recover lost jobs.
   */
  claim(workerId: string, options: ClaimOptions): Promise<JobRecord | null>;
  /** Extends the lease and records progress (0..1) and a message such as "epoch 3/20, ETA 12 s". */
  heartbeat(
    jobId: string,
    workerId: string,
    leaseMs: number,
    progress?: { progress: number; message: string },
  ): Promise<HeartbeatResult>;
  /** Marks the job SUCCEEDED; false when this worker no longer owns it. */
  complete(jobId: string, workerId: string, result?: unknown): Promise<boolean>;
  /**
   * Records a failure. With `retry` and attempts left, the job is re-queued after `retryDelayMs`;
   * otherwise it is FAILED. Returns the resulting status (null when not owned).
   */
  fail(
    jobId: string,
    workerId: string,
    error: string,
    options: { retry: boolean; retryDelayMs?: number },
  ): Promise<JobStatus | null>;
  /** QUEUED jobs become CANCELLED at once; RUNNING ones get `cancelRequested` for their worker. */
  cancel(jobId: string): Promise<JobRecord>;
  /**
   * Hands a RUNNING job back without a verdict (graceful shutdown): it becomes QUEUED at once
   * and the attempt it used is given back, so a later worker resumes it from its checkpoint.
   * False when this worker no longer owns it.
   */
  release(jobId: string, workerId: string): Promise<boolean>;
  /** The worker acknowledges a requested cancellation. */
  markCancelled(jobId: string, workerId: string): Promise<boolean>;
  /**
   * Puts RUNNING jobs with an expired lease back to QUEUED, or FAILED when no attempt is left;
   * returns both lists so the caller can run the failed jobs' onFailed handlers.
   */
  requeueExpired(now?: Date): Promise<{ requeued: JobRecord[]; failed: JobRecord[] }>;
  get(jobId: string): Promise<JobRecord | null>;
  list(filter?: { status?: JobStatus; name?: string }): Promise<JobRecord[]>;
  /** Closes connections the queue opened (Redis); the database client is the caller's. */
  close?(): Promise<void>;
}
