import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { JobQueue, JobRecord } from "@/lib/queue/types";
import { JobReleasedError, Worker, type JobHandler } from "@/workers/worker";
import { createLogger } from "@/lib/ops/logger";

/** A queue holding one job, recording what the worker tells it. */
function oneJobQueue(cancelRequested = false) {
  const job: JobRecord = {
    id: "j1", name: "probe", payload: {}, status: "RUNNING", attempts: 1, maxAttempts: 3, lockedBy: "w", leaseUntil: null,
    progress: null, progressMessage: null, cancelRequested: false, error: null, result: null, createdAt: new Date(), startedAt: new Date(), finishedAt: null,
  };
  const failures: { error: string; retry: boolean }[] = [];
  const released: string[] = [];
  const completed: string[] = [];
  const cancelled: string[] = [];
  let claimed = false;
  const queue = {
    requeueExpired: async () => ({ requeued: [], failed: [] }),
    claim: async () => (claimed ? null : ((claimed = true), job)),
    heartbeat: async () => ({ owned: true, cancelRequested: false }),
    complete: async (id: string) => (completed.push(id), true),
    release: async (id: string) => (released.push(id), true),
    get: async () => ({ ...job, cancelRequested }),
    markCancelled: async (id: string) => (cancelled.push(id), true),
    fail: async (_id: string, _w: string, error: string, options: { retry: boolean }) => {
      failures.push({ error, retry: options.retry });
      return options.retry ? "QUEUED" : "FAILED";
    },
  } as unknown as JobQueue;
  return { queue, failures, released, completed, cancelled };
}

async function runFailing(error: unknown) {
  const { queue, failures } = oneJobQueue();
  const failedWith: string[] = [];
  const handler: JobHandler = { handle: async () => Promise.reject(error), onFailed: async (_p, message) => void failedWith.push(message) };
  const log: string[] = [];
  const logger = createLogger({ write: (line: string) => void log.push(line) }, "info");
  await new Worker({ workerId: "w", queue, handlers: { probe: async () => handler }, logger }).runOnce();
  return { failures, failedWith, log: log.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("the worker's error handling", () => {
  it("stores a generic message with a ref for an internal error, retries it, and logs the details under that ref", async () => {
    const bug = new Error("Invalid `this.db.metricPoint.upsert()` invocation in /srv/reclab/lib/tracking/prisma-store.ts:47:29 value: NaN");
    bug.name = "PrismaClientValidationError";
    const { failures, log } = await runFailing(bug);
    expect(failures).toHaveLength(1);
    const [{ error, retry }] = failures;
    expect(retry).toBe(true);
    const ref = /^internal error \(ref ([0-9a-f]{6})\): the details were logged$/.exec(error)?.[1];
    expect(ref).toBeDefined();
    const line = log.find((l) => l.ref === ref);
    expect(line).toMatchObject({ level: "error", kind: "internal", workerId: "w", jobId: expect.any(String), job: "probe" });
    expect(line?.details).toMatch(/^PrismaClientValidationError: Invalid.*prisma-store\.ts:47:29/);
  });

  it("fails a user error at once with its own message and tells the handler", async () => {
    const { failures, failedWith } = await runFailing(new AppError("BAD_INPUT", "the model diverged or the dataset is too small (5 interactions)"));
    expect(failures).toEqual([{ error: "the model diverged or the dataset is too small (5 interactions)", retry: false }]);
    expect(failedWith).toEqual(["the model diverged or the dataset is too small (5 interactions)"]);
  });

  it("retries an unreachable database", async () => {
    const { failures } = await runFailing(Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" }));
    expect(failures[0].retry).toBe(true);
    expect(failures[0].error).toMatch(/^a service was unavailable \(ref [0-9a-f]{6}\)/);
  });

  it("ends a job cancelled, not failed, when its work throws after a cancel request (its run deleted under it)", async () => {
    const { queue, failures, cancelled } = oneJobQueue(true);
    const onCancelled: string[] = [];
    const deleted = Object.assign(new Error("Foreign key constraint violated: RunArtifact_runId_fkey"), { code: "P2003" });
    const handler: JobHandler = { handle: async () => Promise.reject(deleted), onCancelled: async () => void onCancelled.push("j1") };
    await new Worker({ workerId: "w", queue, handlers: { probe: async () => handler } }).runOnce();
    expect(failures).toEqual([]);
    expect(cancelled).toEqual(["j1"]);
    expect(onCancelled).toEqual(["j1"]);
  });
});

describe("the worker's graceful shutdown", () => {
  it("hands a job that stopped at a checkpoint (JobReleasedError) back to the queue instead of failing it", async () => {
    const { queue, failures, released, completed } = oneJobQueue();
    const worker = new Worker({ workerId: "w", queue, handlers: { probe: async () => ({ handle: async () => Promise.reject(new JobReleasedError()) }) } });
    await worker.runOnce();
    expect(released).toEqual(["j1"]);
    expect(failures).toEqual([]);
    expect(completed).toEqual([]);
  });

  it("tells the running job it is stopping, and releases it when the grace period is over, discarding its result", async () => {
    const { queue, failures, released, completed } = oneJobQueue();
    let sawStopping = false;
    let finish: () => void = () => undefined;
    const handler: JobHandler = {
      handle: (_payload, ctx) =>
        new Promise((resolve) => {
          finish = () => {
            sawStopping = ctx.isStopping?.() ?? false;
            resolve({ late: true });
          };
        }),
    };
    const worker = new Worker({ workerId: "w", queue, handlers: { probe: async () => handler } });
    const running = worker.runOnce();
    await new Promise((r) => setTimeout(r, 20));
    worker.stop();
    expect(await worker.releaseRunning()).toBe("j1");
    finish();
    await running;
    expect(sawStopping).toBe(true);
    expect(released).toEqual(["j1"]);
    expect(completed).toEqual([]);
    expect(failures).toEqual([]);
    expect(await worker.releaseRunning()).toBeNull(); // nothing running any more
  });
});
