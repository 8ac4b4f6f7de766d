import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Job } from "../generated/sqlite/client";
import type { ClaimOptions, EnqueueOptions, HeartbeatResult, JobQueue, JobRecord, JobStatus } from "./types";

/**
 * Database-backed queue. Claiming is a compare-and-set (`updateMany ... where status = QUEUED`):
 * of two workers that pick the same candidate, exactly one update matches, on SQLite and on
 * PostgreSQL alike; the loser moves on to the next candidate. Every later write by a worker is
 * conditioned on `lockedBy = workerId AND status = RUNNING`, so a worker that lost its lease
 * cannot overwrite the job's new owner.
 */
export class DbJobQueue implements JobQueue {
  constructor(private readonly db: Db) {}

  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<JobRecord> {
    const job = await this.db.job.create({
      data: {
        name,
        payload: JSON.stringify(payload),
        maxAttempts: options.maxAttempts ?? 3,
        priority: options.priority ?? 0,
        availableAt: options.availableAt ?? new Date(),
      },
    });
    return toRecord(job);
  }

  async claim(workerId: string, options: ClaimOptions): Promise<JobRecord | null> {
    for (let tries = 0; tries < 10; tries++) {
      const now = new Date();
      const candidates = await this.db.job.findMany({
        where: {
          status: "QUEUED",
          availableAt: { lte: now },
          ...(options.names ? { name: { in: options.names } } : {}),
        },
        orderBy: [{ priority: "desc" }, { createdAt: "asc" }],
        select: { id: true },
        take: 5,
      });
      if (candidates.length === 0) return null;
      for (const { id } of candidates) {
        const claimed = await this.claimById(id, workerId, options.leaseMs);
        if (claimed) return claimed;
      }
    }
    return null;
  }

  /** The claim's compare-and-set on one job: QUEUED -> RUNNING for `workerId`, or null if it was not QUEUED. */
  async claimById(id: string, workerId: string, leaseMs: number): Promise<JobRecord | null> {
    const now = new Date();
    const { count } = await this.db.job.updateMany({
      where: { id, status: "QUEUED" },
      data: {
        status: "RUNNING",
        lockedBy: workerId,
        leaseUntil: new Date(now.getTime() + leaseMs),
        heartbeatAt: now,
        startedAt: now,
        attempts: { increment: 1 },
      },
    });
    return count === 1 ? toRecord(await this.db.job.findUniqueOrThrow({ where: { id } })) : null;
  }

  async heartbeat(
    jobId: string,
    workerId: string,
    leaseMs: number,
    progress?: { progress: number; message: string },
  ): Promise<HeartbeatResult> {
    const now = new Date();
    const { count } = await this.db.job.updateMany({
      where: { id: jobId, lockedBy: workerId, status: "RUNNING" },
      data: {
        leaseUntil: new Date(now.getTime() + leaseMs),
        heartbeatAt: now,
        ...(progress ? { progress: progress.progress, progressMessage: progress.message } : {}),
      },
    });
    const job = await this.db.job.findUnique({ where: { id: jobId }, select: { cancelRequested: true } });
    return { owned: count === 1, cancelRequested: job?.cancelRequested ?? false };
  }

  async complete(jobId: string, workerId: string, result?: unknown): Promise<boolean> {
    const { count } = await this.db.job.updateMany({
      where: { id: jobId, lockedBy: workerId, status: "RUNNING" },
      data: {
        status: "SUCCEEDED",
        progress: 1,
        result: result === undefined ? null : JSON.stringify(result),
        finishedAt: new Date(),
        leaseUntil: null,
      },
    });
    return count === 1;
  }

  async fail(
    jobId: string,
    workerId: string,
    error: string,
    options: { retry: boolean; retryDelayMs?: number },
  ): Promise<JobStatus | null> {
    const job = await this.db.job.findUnique({ where: { id: jobId } });
    if (!job || job.lockedBy !== workerId || job.status !== "RUNNING") return null;
    const requeue = options.retry && job.attempts < job.maxAttempts;
    const status: JobStatus = requeue ? "QUEUED" : "FAILED";
    const { count } = await this.db.job.updateMany({
      where: { id: jobId, lockedBy: workerId, status: "RUNNING" },
      data: requeue
        ? {
            status,
            error,
            lockedBy: null,
            leaseUntil: null,
            availableAt: new Date(Date.now() + (options.retryDelayMs ?? 0)),
          }
        : { status, error, finishedAt: new Date(), leaseUntil: null },
    });
    return count === 1 ? status : null;
  }

  async cancel(jobId: string): Promise<JobRecord> {
    const job = await this.db.job.findUnique({ where: { id: jobId } });
    if (!job) throw new AppError("NOT_FOUND", `job ${jobId} does not exist`);
    if (job.status === "QUEUED") {
      await this.db.job.updateMany({
        where: { id: jobId, status: "QUEUED" },
        data: { status: "CANCELLED", cancelRequested: true, finishedAt: new Date() },
      });
    } else if (job.status === "RUNNING") {
      await this.db.job.update({ where: { id: jobId }, data: { cancelRequested: true } });
    }
    return toRecord(await this.db.job.findUniqueOrThrow({ where: { id: jobId } }));
  }

  async release(jobId: string, workerId: string): Promise<boolean> {
    const { count } = await this.db.job.updateMany({
      where: { id: jobId, lockedBy: workerId, status: "RUNNING", attempts: { gt: 0 } },
      data: { status: "QUEUED", lockedBy: null, leaseUntil: null, availableAt: new Date(), attempts: { decrement: 1 } },
    });
    return count === 1;
  }

  async markCancelled(jobId: string, workerId: string): Promise<boolean> {
    const { count } = await this.db.job.updateMany({
      where: { id: jobId, lockedBy: workerId, status: "RUNNING" },
      data: { status: "CANCELLED", finishedAt: new Date(), leaseUntil: null },
    });
    return count === 1;
  }

  async requeueExpired(now = new Date()): Promise<{ requeued: JobRecord[]; failed: JobRecord[] }> {
    const expired = await this.db.job.findMany({
      where: { status: "RUNNING", leaseUntil: { lt: now } },
      select: { id: true, attempts: true, maxAttempts: true, leaseUntil: true, lockedBy: true },
    });
    const outcome: { requeued: JobRecord[]; failed: JobRecord[] } = { requeued: [], failed: [] };
    for (const job of expired) {
      const exhausted = job.attempts >= job.maxAttempts;
      // Conditioned on the lease we read, so a heartbeat that just renewed it wins.
      const { count } = await this.db.job.updateMany({
        where: { id: job.id, status: "RUNNING", leaseUntil: job.leaseUntil },
        data: exhausted
          ? {
              status: "FAILED",
              error: `the worker running this job stopped responding (${job.attempts} attempts)`,
              finishedAt: now,
              leaseUntil: null,
            }
          : {
              status: "QUEUED",
              lockedBy: null,
              leaseUntil: null,
              error: `re-queued: worker ${job.lockedBy ?? "?"} stopped responding`,
            },
      });
      if (count === 1) {
        const record = toRecord(await this.db.job.findUniqueOrThrow({ where: { id: job.id } }));
        (exhausted ? outcome.failed : outcome.requeued).push(record);
      }
    }
    return outcome;
  }

  async get(jobId: string): Promise<JobRecord | null> {
    const job = await this.db.job.findUnique({ where: { id: jobId } });
    return job ? toRecord(job) : null;
  }

  async list(filter: { status?: JobStatus; name?: string } = {}): Promise<JobRecord[]> {
    const jobs = await this.db.job.findMany({ where: filter, orderBy: { createdAt: "asc" } });
    return jobs.map(toRecord);
  }
}

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

function toRecord(job: Job): JobRecord {
  return {
    id: job.id,
    name: job.name,
    payload: parseJson(job.payload),
    status: job.status as JobStatus,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lockedBy: job.lockedBy,
    leaseUntil: job.leaseUntil,
    progress: job.progress,
    progressMessage: job.progressMessage,
    cancelRequested: job.cancelRequested,
    error: job.error,
    result: parseJson(job.result),
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
