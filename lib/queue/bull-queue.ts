import { randomUUID } from "node:crypto";
import { Queue, UnrecoverableError, Worker as BullWorker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import type { Db } from "../db/client";
import { DbJobQueue } from "./db-queue";
import type { ClaimOptions, EnqueueOptions, HeartbeatResult, JobQueue, JobRecord, JobStatus } from "./types";

export interface BullQueueOptions {
  redisUrl: string;
  /** Redis key prefix, so several installations (or tests) can share one server. */
  prefix?: string;
  /** Lock duration of a claimed job until its first heartbeat; claims pass their own lease. */
  leaseMs?: number;
  /** How often, at most, QUEUED rows are checked against Redis and re-dispatched if missing. */
  reconcileMs?: number;
  /** Longest wait for Redis on paths that must not hang while it is down (enqueue, heartbeat). */
  redisTimeoutMs?: number;
  log?: (line: string) => void;
}

/** BullMQ queue name under the prefix; job names are RecLab's (train-run, finalize-experiment, ...). */
export const BULL_QUEUE_NAME = "jobs";
/** Base of BullMQ's exponential retry backoff: 2 s, 4 s, 8 s ... (the worker's retryDelayMs formula). */
const BACKOFF_BASE_MS = 2000;
const TERMINAL: JobStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/**
 * BullMQ on Redis behind the JobQueue seam. The Job table stays the record of every job (status,
 * attempts, progress, result: what the UI and /api/queue read) and the authority on ownership:
 * every transition is the same compare-and-set as in DbJobQueue, so a job runs to completion
 * once however often Redis hands it out. Redis does the dispatch: a job waits in BullMQ until a
 * worker takes it with a lock (`getNextJob`, manual processing), the lock is renewed with each
 * heartbeat, a lock that lapses (dead worker) is found by BullMQ's stalled-job check and the job
 * dispatched again, retries wait out BullMQ's exponential backoff, and progress is published as
 * BullMQ progress events.
 *
 * Redis may lose its state (restart without persistence, failover): the reconciler re-adds every
 * QUEUED row missing from Redis, and lapsed leases are re-queued from the table as with the
 * database queue, so nothing is lost that the database holds.
 */
export class BullJobQueue implements JobQueue {
  private readonly records: DbJobQueue;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly reconcileMs: number;
  private readonly redisTimeoutMs: number;
  private readonly log: (line: string) => void;
  private producer?: Queue;
  private producerConnection?: Redis;
  private consumer?: BullWorker;
  private readonly connections: Redis[] = [];
  /** BullMQ jobs this process holds a lock on, by job id. */
  private readonly held = new Map<string, { job: BullJob; token: string }>();
  private lastReconcile = 0;

  constructor(
    private readonly db: Db,
    private readonly options: BullQueueOptions,
  ) {
    this.records = new DbJobQueue(db);
    this.prefix = options.prefix ?? "reclab";
    this.leaseMs = options.leaseMs ?? 60_000;
    this.reconcileMs = options.reconcileMs ?? 5000;
    this.redisTimeoutMs = options.redisTimeoutMs ?? 3000;
    this.log = options.log ?? ((line) => console.warn(line));
  }

  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<JobRecord> {
    const record = await this.records.enqueue(name, payload, options);
    // The row is the commitment: when Redis is unreachable, the reconciler dispatches it later.
    await this.dispatch([{ id: record.id, name, priority: options.priority ?? 0, maxAttempts: record.maxAttempts, availableAt: options.availableAt ?? null }]).catch((error: unknown) =>
      this.log(`[queue] job ${record.id} queued in the database; Redis dispatch deferred: ${String(error)}`),
    );
    return record;
  }

  async claim(workerId: string, options: ClaimOptions): Promise<JobRecord | null> {
    await this.reconcile();
    const consumer = this.getConsumer();
    for (let tries = 0; tries < 10; tries++) {
      const token = `${workerId}:${randomUUID()}`;
      const job = await this.timed(consumer.getNextJob(token, { block: false }), "getNextJob");
      if (!job?.id) return null;
      if (options.names && !options.names.includes(job.name)) {
        await job.moveToDelayed(Date.now() + 1000, token);
        continue;
      }
      await job.extendLock(token, options.leaseMs);
      const claimed = await this.records.claimById(job.id, workerId, options.leaseMs);
      if (claimed) {
        this.held.set(job.id, { job, token });
        return claimed;
      }
      const row = await this.records.get(job.id);
      if (!row || TERMINAL.includes(row.status)) {
        // Already settled (finished elsewhere, cancelled): this dispatch is a leftover.
        await job.moveToCompleted(null, token, false);
      } else {
        // Another worker still holds the row's lease (Redis handed the job out twice after losing
        // its lock or its state): look again once that lease is due.
        const due = Math.max(Date.now(), row.leaseUntil?.getTime() ?? 0) + 1000;
        await job.moveToDelayed(due, token);
      }
    }
    return null;
  }

  async heartbeat(jobId: string, workerId: string, leaseMs: number, progress?: { progress: number; message: string }): Promise<HeartbeatResult> {
    const result = await this.records.heartbeat(jobId, workerId, leaseMs, progress);
    const held = this.held.get(jobId);
    if (!result.owned) this.held.delete(jobId);
    else if (held) {
      // The database lease decides ownership; the Redis lock only keeps BullMQ from re-dispatching.
      await this.timed(
        (async () => {
          await held.job.extendLock(held.token, leaseMs);
          if (progress) await held.job.updateProgress(progress);
        })(),
        "extendLock",
      ).catch((error: unknown) => this.log(`[queue] job ${jobId}: Redis lock not renewed: ${String(error)}`));
    }
    return result;
  }

  async complete(jobId: string, workerId: string, result?: unknown): Promise<boolean> {
    const done = await this.records.complete(jobId, workerId, result);
    await this.settle(jobId, async ({ job, token }) => void (await job.moveToCompleted(null, token, false)));
    return done;
  }

  async fail(jobId: string, workerId: string, error: string, options: { retry: boolean; retryDelayMs?: number }): Promise<JobStatus | null> {
    const status = await this.records.fail(jobId, workerId, error, options);
    await this.settle(jobId, async ({ job, token }) => {
      // QUEUED: BullMQ retries it after its backoff (or, with its own attempts used up, drops it
      // and the reconciler re-adds the row). Otherwise it must not come back.
      await job.moveToFailed(status === "QUEUED" ? new Error(error) : new UnrecoverableError(error), token, false);
    });
    return status;
  }

  async release(jobId: string, workerId: string): Promise<boolean> {
    const released = await this.records.release(jobId, workerId);
    await this.settle(jobId, async ({ job, token }) => void (await job.moveToWait(token)));
    return released;
  }

  async cancel(jobId: string): Promise<JobRecord> {
    const record = await this.records.cancel(jobId);
    // A waiting job is removed from Redis; one that is locked is dropped by the next claim.
    if (record.status === "CANCELLED") await this.timed(this.getProducer().remove(jobId), "remove").catch(() => undefined);
    return record;
  }

  async markCancelled(jobId: string, workerId: string): Promise<boolean> {
    const done = await this.records.markCancelled(jobId, workerId);
    await this.settle(jobId, async ({ job, token }) => void (await job.moveToCompleted(null, token, false)));
    return done;
  }

  async requeueExpired(now = new Date()): Promise<{ requeued: JobRecord[]; failed: JobRecord[] }> {
    const outcome = await this.records.requeueExpired(now);
    if (outcome.requeued.length > 0) this.lastReconcile = 0;
    return outcome;
  }

  get(jobId: string): Promise<JobRecord | null> {
    return this.records.get(jobId);
  }

  list(filter?: { status?: JobStatus; name?: string }): Promise<JobRecord[]> {
    return this.records.list(filter);
  }

  /**
   * Makes Redis hold every QUEUED row: one pipelined EXISTS per batch, and an add for each job
   * Redis does not know (lost state, a dispatch that failed while Redis was down, a retry whose
   * BullMQ attempts ran out while the row still has some). Runs at most every `reconcileMs`.
   */
  async reconcile(force = false): Promise<number> {
    if (!force && Date.now() - this.lastReconcile < this.reconcileMs) return 0;
    this.lastReconcile = Date.now();
    const rows = await this.db.job.findMany({
      where: { status: "QUEUED" },
      select: { id: true, name: true, priority: true, maxAttempts: true, availableAt: true },
      orderBy: { createdAt: "asc" },
      take: 5000,
    });
    if (rows.length === 0) return 0;
    this.getProducer();
    const pipeline = this.producerConnection!.pipeline();
    for (const row of rows) pipeline.exists(`${this.prefix}:${BULL_QUEUE_NAME}:${row.id}`);
    const replies = (await this.timed(pipeline.exec(), "reconcile")) ?? [];
    const missing = rows.filter((_, i) => (replies[i] as [Error | null, unknown] | undefined)?.[1] === 0);
    if (missing.length > 0) {
      await this.dispatch(missing);
      this.log(`[queue] re-dispatched ${missing.length} queued job(s) Redis did not hold`);
    }
    return missing.length;
  }

  async close(): Promise<void> {
    await this.consumer?.close();
    await this.producer?.close();
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }

  private async dispatch(jobs: { id: string; name: string; priority: number; maxAttempts: number; availableAt: Date | null }[]): Promise<void> {
    const producer = this.getProducer();
    const now = Date.now();
    await this.timed(
      producer.addBulk(
        jobs.map((job) => ({
          name: job.name,
          data: {}, // the payload stays in the Job row
          opts: {
            jobId: job.id,
            // BullMQ: lower runs first, 0 = unprioritised. RecLab: higher runs first.
            priority: Math.max(1, 1000 - job.priority),
            delay: job.availableAt ? Math.max(0, job.availableAt.getTime() - now) : 0,
            attempts: job.maxAttempts,
            backoff: { type: "exponential", delay: BACKOFF_BASE_MS },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      ),
      "add",
    );
  }

  /** Ends this process's BullMQ lock on a job; Redis trouble only delays the leftover's cleanup. */
  private async settle(jobId: string, action: (held: { job: BullJob; token: string }) => Promise<void>): Promise<void> {
    const held = this.held.get(jobId);
    if (!held) return;
    this.held.delete(jobId);
    await this.timed(action(held), "settle").catch((error: unknown) => this.log(`[queue] job ${jobId}: Redis not updated (${String(error)}); its lock will lapse`));
  }

  private connect(): Redis {
    // maxRetriesPerRequest null: commands wait for a reconnect instead of failing (BullMQ requires it).
    const connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    connection.on("error", () => undefined); // reconnects on its own; callers see timeouts
    this.connections.push(connection);
    return connection;
  }

  private getProducer(): Queue {
    if (this.producer) return this.producer;
    this.producerConnection = this.connect();
    this.producer = new Queue(BULL_QUEUE_NAME, { connection: this.producerConnection, prefix: this.prefix });
    this.producer.on("error", () => undefined);
    return this.producer;
  }

  private getConsumer(): BullWorker {
    if (this.consumer) return this.consumer;
    const consumer = new BullWorker(BULL_QUEUE_NAME, null, {
      connection: this.connect(),
      prefix: this.prefix,
      autorun: false,
      lockDuration: this.leaseMs,
      stalledInterval: Math.min(30_000, Math.max(1000, Math.floor(this.leaseMs / 2))),
      // Stalls are counted as attempts by the Job row, which decides when to give up.
      maxStalledCount: 1000,
    });
    consumer.on("error", (error) => this.log(`[queue] BullMQ: ${String(error)}`));
    void consumer.startStalledCheckTimer();
    this.consumer = consumer;
    return consumer;
  }

  private timed<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis ${what} timed out after ${this.redisTimeoutMs} ms`)), this.redisTimeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
