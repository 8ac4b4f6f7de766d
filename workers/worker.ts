import { classifyError, errorDetails } from "../lib/errors";
import { jobLogFields, logger as rootLogger, type Logger } from "../lib/ops/logger";
import type { JobQueue, JobRecord } from "../lib/queue/types";

/** What a handler gets besides its payload. */
export interface JobContext {
  job: JobRecord;
  workerId: string;
  /** The queue the job came from, for handlers that queue follow-up jobs (absent in unit-test fakes). */
  queue?: JobQueue;
  /** Records progress (0..1) and a message; written with the next heartbeat (at most ~1/s). */
  reportProgress(progress: number, message: string): Promise<void>;
  /** True once someone asked to cancel the job (a flag: cheap enough to read between batches). */
  isCancelled(): boolean;
  /**
   * True once the worker is shutting down (SIGTERM). A job that can resume checkpoints at its next
   * epoch boundary and throws JobReleasedError; any other job just finishes.
   */
  isStopping?(): boolean;
  /** This job's logger: every line carries the worker, job id and name, and run id when there is one. */
  log?: Logger;
}

/** A job type's worker side: runs the job, and is told when it failed for good. */
export interface JobHandler {
  handle(payload: unknown, ctx: JobContext): Promise<unknown>;
  /** Called once the job is FAILED (no retry left) so owned records can say why. */
  onFailed?(payload: unknown, message: string, queue: JobQueue): Promise<void>;
  onCancelled?(payload: unknown, queue: JobQueue): Promise<void>;
}

/**
 * Thrown by a handler that stopped early because the worker is shutting down, with its progress
 * saved (a checkpoint): the job goes back to the queue, its attempt not counted, to be resumed.
 */
export class JobReleasedError extends Error {
  constructor(message = "released for a graceful shutdown") {
    super(message);
  }
}

/** Thrown by a handler that stopped because the job was cancelled. */
export class JobCancelledError extends Error {
  constructor() {
    super("cancelled");
  }
}

export interface WorkerOptions {
  workerId: string;
  queue: JobQueue;
  /** Job name -> handler (loaded lazily by the caller). */
  handlers: Record<string, () => Promise<JobHandler>>;
  leaseMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  /** How often a running job's cancel flag is read (one primary-key read); default 1000 ms. */
  cancelPollMs?: number;
  /** Parent logger (default: the process logger); each job logs through a child of it. */
  logger?: Logger;
}

/**
 * Claims jobs, runs their handlers, heartbeats while they run and records the outcome.
 * Errors are sorted by classifyError (lib/errors.ts): user errors (AppError with a user code,
 * ZodError) fail at once with their message; infrastructure and internal errors are retried
 * with backoff until the job's attempts run out. Job.error, and what onFailed stores on runs,
 * is only ever the user-facing message: internal details go to the worker log with a ref id.
 */
export class Worker {
  private stopping = false;
  /** The job being run, and how to abandon it (see releaseRunning). */
  private current: { job: JobRecord; abandon: () => void } | null = null;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly cancelPollMs: number;
  private readonly log: Logger;

  constructor(private readonly options: WorkerOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(500, Math.floor(this.leaseMs / 6));
    this.pollMs = options.pollMs ?? 1000;
    this.cancelPollMs = options.cancelPollMs ?? 1000;
    this.log = (options.logger ?? rootLogger).child({ component: "worker", workerId: options.workerId });
  }

  /** Stops claiming; the running job sees isStopping() and run() returns once it has ended. */
  stop(): void {
    this.stopping = true;
  }

  /**
   * Shutdown grace period over: hands the running job (if any) back to the queue now, attempt
   * not counted, and discards whatever its handler still does. It resumes from its last checkpoint.
   */
  async releaseRunning(): Promise<string | null> {
    const current = this.current;
    if (!current) return null;
    current.abandon();
    const released = await this.options.queue.release(current.job.id, this.options.workerId);
    return released ? current.job.id : null;
  }

  /** Polls until stop() is called. */
  async run(): Promise<void> {
    while (!this.stopping) {
      const worked = await this.runOnce().catch((error: unknown) => {
        this.log.error({ err: error }, "queue error");
        return false;
      });
      if (!worked && !this.stopping) await sleep(this.pollMs);
    }
  }

  /** Claims and runs at most one job; false when none was available. */
  async runOnce(): Promise<boolean> {
    const { queue, workerId } = this.options;
    await this.reapExpiredLeases();
    const job = await queue.claim(workerId, {
      leaseMs: this.leaseMs,
      names: Object.keys(this.options.handlers),
    });
    if (!job) return false;
    this.log.info({ ...jobLogFields(job), attempt: job.attempts, maxAttempts: job.maxAttempts }, "claimed");
    await this.execute(job);
    return true;
  }

  /**
   * Recovers jobs whose worker died: re-queues them, or, when their attempts are used up, fails
   * them and runs their onFailed handler (no worker is left to do it).
   */
  private async reapExpiredLeases(): Promise<void> {
    const { queue } = this.options;
    const { requeued, failed } = await queue.requeueExpired();
    for (const job of requeued) this.log.warn(jobLogFields(job), "re-queued: its worker stopped responding");
    for (const job of failed) {
      this.log.warn({ ...jobLogFields(job), error: job.error }, "failed: its worker stopped responding and no attempt is left");
      const load = this.options.handlers[job.name];
      if (load) await (await load()).onFailed?.(job.payload, job.error ?? "the job failed", queue);
    }
  }

  private async execute(job: JobRecord): Promise<void> {
    const { queue, workerId } = this.options;
    const handler = await this.options.handlers[job.name]();
    const log = this.log.child(jobLogFields(job));
    const started = performance.now();
    let cancelled = job.cancelRequested;
    let lost = false;
    let pending: { progress: number; message: string } | undefined;
    let lastBeat = Date.now();
    const beat = async () => {
      lastBeat = Date.now();
      const progress = pending;
      pending = undefined;
      const result = await queue.heartbeat(job.id, workerId, this.leaseMs, progress);
      cancelled ||= result.cancelRequested;
      lost ||= !result.owned;
    };
    const timer = setInterval(() => void beat().catch(() => undefined), this.heartbeatMs);
    // Between heartbeats, so a cancel request reaches the job within about a second, not a lease period.
    const cancelTimer = setInterval(() => {
      if (cancelled) return;
      void queue
        .get(job.id)
        .then((row) => {
          cancelled ||= row?.cancelRequested ?? false;
        })
        .catch(() => undefined);
    }, this.cancelPollMs);
    this.current = { job, abandon: () => (lost = true) };
    const ctx: JobContext = {
      job,
      workerId,
      queue,
      isCancelled: () => cancelled || lost,
      isStopping: () => this.stopping,
      log,
      async reportProgress(progress, message) {
        pending = { progress, message };
        if (Date.now() - lastBeat >= 1000) await beat();
      },
    };
    try {
      const result = await handler.handle(job.payload, ctx);
      if (pending) await beat();
      if (lost) return log.warn("lost the lease; result discarded");
      if (await queue.complete(job.id, workerId, result)) log.info({ seconds: seconds(started) }, "finished");
      else log.warn("lost the lease before completing; result discarded");
    } catch (error) {
      if (error instanceof JobReleasedError && !lost) {
        const released = await queue.release(job.id, workerId);
        if (released) log.info({ reason: error.message, seconds: seconds(started) }, "released");
        else log.warn({ reason: error.message }, "lost the lease before releasing");
        return;
      }
      // A job whose cancel was requested ends cancelled whatever its interrupted work threw (e.g. its
      // run was deleted with its dataset under it): that is what the user asked for, not a failure to retry.
      if (error instanceof JobCancelledError || cancelled || (await queue.get(job.id).catch(() => null))?.cancelRequested) {
        if (await queue.markCancelled(job.id, workerId)) await handler.onCancelled?.(job.payload, queue);
        log.info({ seconds: seconds(started) }, "cancelled");
        return;
      }
      const report = classifyError(error, "payload");
      if (report.ref) log.error({ kind: report.kind, ref: report.ref, details: errorDetails(error) }, "job error");
      const status = await queue.fail(job.id, workerId, report.message, {
        retry: report.retryable,
        retryDelayMs: 1000 * 2 ** Math.min(job.attempts, 6),
      });
      log.warn({ status: status ?? "lease lost", error: report.message, seconds: seconds(started) }, "failed");
      if (status === "FAILED") await handler.onFailed?.(job.payload, report.message, queue);
    } finally {
      this.current = null;
      clearInterval(timer);
      clearInterval(cancelTimer);
    }
  }
}

const seconds = (since: number) => Math.round(performance.now() - since) / 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
