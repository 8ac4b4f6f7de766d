import { expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import type { JobQueue, JobRecord } from "@/lib/queue/types";

/** What each contract case gets: a fresh, empty queue on its own database rows (and Redis keys). */
export interface QueueUnderTest {
  queue: JobQueue;
  db: Db;
}

/**
 * Claims until a job comes or `ms` pass. The database queue answers at once; BullMQ hands a job
 * out once Redis has it (retry backoff, stalled-lock recovery), which takes up to a few seconds.
 */
export async function claimWithin(queue: JobQueue, workerId: string, ms: number, leaseMs = 10_000, names?: string[]): Promise<JobRecord | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await queue.claim(workerId, { leaseMs, ...(names ? { names } : {}) });
    if (job || Date.now() > deadline) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The JobQueue contract, run against every implementation (tests/integration/queue.test.ts:
 * database queue; bull-queue.test.ts: BullMQ). `current()` is the queue of the running test.
 */
export function defineQueueContract(current: () => QueueUnderTest): void {
  it("runs a job through QUEUED -> RUNNING -> SUCCEEDED with timestamps", async () => {
    const { queue } = current();
    const job = await queue.enqueue("train-run", { runId: "r1" });
    expect(job.status).toBe("QUEUED");
    const claimed = await claimWithin(queue, "w1", 3000);
    expect(claimed).toMatchObject({ id: job.id, status: "RUNNING", lockedBy: "w1", attempts: 1, payload: { runId: "r1" } });
    expect(claimed?.startedAt).toBeInstanceOf(Date);
    expect(await queue.claim("w2", { leaseMs: 10_000 })).toBeNull();
    const beat = await queue.heartbeat(job.id, "w1", 10_000, { progress: 0.5, message: "epoch 5/10" });
    expect(beat).toEqual({ owned: true, cancelRequested: false });
    expect(await queue.get(job.id)).toMatchObject({ progress: 0.5, progressMessage: "epoch 5/10" });
    expect(await queue.complete(job.id, "w1", { ndcg: 0.3 })).toBe(true);
    const done = await queue.get(job.id);
    expect(done).toMatchObject({ status: "SUCCEEDED", result: { ndcg: 0.3 }, progress: 1 });
    expect(done?.finishedAt).toBeInstanceOf(Date);
    expect(await queue.claim("w2", { leaseMs: 10_000 })).toBeNull();
  });

  it("never gives the same job to two workers claiming concurrently", async () => {
    const { queue } = current();
    const n = 20;
    for (let i = 0; i < n; i++) await queue.enqueue("train-run", { i });
    const claimedBy = new Map<string, string>();
    await Promise.all(
      ["a", "b", "c", "d"].map(async (w) => {
        for (;;) {
          const job = await queue.claim(w, { leaseMs: 10_000 });
          if (!job) {
            if ((await queue.list({ status: "QUEUED" })).length === 0) return;
            continue;
          }
          expect(claimedBy.has(job.id)).toBe(false);
          claimedBy.set(job.id, w);
        }
      }),
    );
    expect(claimedBy.size).toBe(n);
    const jobs = await queue.list();
    expect(jobs.every((j) => j.status === "RUNNING" && j.attempts === 1 && j.lockedBy === claimedBy.get(j.id))).toBe(true);
  });

  it("re-queues a job whose worker stopped heartbeating, and fences the old worker out", async () => {
    const { queue } = current();
    const job = await queue.enqueue("train-run", {});
    expect(await claimWithin(queue, "dead", 3000, 50)).toMatchObject({ id: job.id });
    await new Promise((r) => setTimeout(r, 80));
    expect(await queue.claim("alive", { leaseMs: 10_000 })).toBeNull(); // still RUNNING until reaped
    expect((await queue.requeueExpired()).requeued.map((j) => j.id)).toEqual([job.id]);
    const taken = await claimWithin(queue, "alive", 5000);
    expect(taken).toMatchObject({ id: job.id, lockedBy: "alive", attempts: 2 });
    expect(await queue.heartbeat(job.id, "dead", 10_000)).toMatchObject({ owned: false });
    expect(await queue.complete(job.id, "dead")).toBe(false);
    expect(await queue.complete(job.id, "alive")).toBe(true);
  });

  it("fails a job for good once its attempts are used up by lost workers", async () => {
    const { queue } = current();
    const job = await queue.enqueue("train-run", {}, { maxAttempts: 1 });
    await claimWithin(queue, "dead", 3000, 20);
    await new Promise((r) => setTimeout(r, 50));
    const { failed } = await queue.requeueExpired();
    expect(failed.map((j) => j.id)).toEqual([job.id]);
    expect(await queue.get(job.id)).toMatchObject({ status: "FAILED", error: "the worker running this job stopped responding (1 attempts)" });
    expect(await claimWithin(queue, "w", 1500)).toBeNull();
  });

  it("retries a failed job after a delay until attempts run out, without retry for bad input", async () => {
    const { queue } = current();
    const job = await queue.enqueue("train-run", {}, { maxAttempts: 2 });
    await claimWithin(queue, "w", 3000);
    expect(await queue.fail(job.id, "w", "disk full", { retry: true, retryDelayMs: 1500 })).toBe("QUEUED");
    expect(await queue.claim("w", { leaseMs: 10_000 })).toBeNull(); // backing off
    const retried = await claimWithin(queue, "w", 6000);
    expect(retried).toMatchObject({ id: job.id, attempts: 2 });
    expect(await queue.fail(job.id, "w", "disk full again", { retry: true })).toBe("FAILED");
    expect(await queue.get(job.id)).toMatchObject({ status: "FAILED", attempts: 2, error: "disk full again" });

    const bad = await queue.enqueue("train-run", {});
    expect(await claimWithin(queue, "w", 3000)).toMatchObject({ id: bad.id });
    expect(await queue.fail(bad.id, "w", "unknown model 'nope'", { retry: false })).toBe("FAILED");
    expect(await claimWithin(queue, "w", 2500)).toBeNull();
  });

  it("cancels queued jobs at once and running ones through their worker", async () => {
    const { queue } = current();
    const queued = await queue.enqueue("train-run", { n: 1 });
    expect((await queue.cancel(queued.id)).status).toBe("CANCELLED");
    const running = await queue.enqueue("train-run", { n: 2 });
    expect(await claimWithin(queue, "w", 3000)).toMatchObject({ id: running.id });
    expect(await queue.cancel(running.id)).toMatchObject({ status: "RUNNING", cancelRequested: true });
    expect(await queue.heartbeat(running.id, "w", 10_000)).toEqual({ owned: true, cancelRequested: true });
    expect(await queue.markCancelled(running.id, "w")).toBe(true);
    expect((await queue.get(running.id))?.status).toBe("CANCELLED");
    await expect(queue.cancel("missing")).rejects.toThrow("job missing does not exist");
    expect(await claimWithin(queue, "w", 1000)).toBeNull();
  });

  it("releases a running job back to the queue without counting the attempt", async () => {
    const { queue } = current();
    const job = await queue.enqueue("train-run", {});
    await claimWithin(queue, "stopping", 3000);
    expect(await queue.release(job.id, "other")).toBe(false);
    expect(await queue.release(job.id, "stopping")).toBe(true);
    expect(await queue.get(job.id)).toMatchObject({ status: "QUEUED", attempts: 0, lockedBy: null });
    expect(await queue.complete(job.id, "stopping")).toBe(false);
    expect(await claimWithin(queue, "next", 3000)).toMatchObject({ id: job.id, attempts: 1, lockedBy: "next" });
  });

  it("claims higher priority first, then oldest, and only the names asked for", async () => {
    const { queue } = current();
    const low = await queue.enqueue("train-run", { p: "low" });
    const high = await queue.enqueue("train-run", { p: "high" }, { priority: 5 });
    await queue.enqueue("other", {});
    expect((await claimWithin(queue, "w", 3000, 1000, ["train-run"]))?.id).toBe(high.id);
    expect((await claimWithin(queue, "w", 3000, 1000, ["train-run"]))?.id).toBe(low.id);
    expect(await queue.claim("w", { leaseMs: 1000, names: ["train-run"] })).toBeNull();
  });
}
