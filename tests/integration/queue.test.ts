import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

describe.each(PROVIDERS)("database job queue on %s", (provider) => {
  let database: TestDatabase;
  let queue: DbJobQueue;
  beforeAll(async () => {
    database = await createTestDatabase(provider);
    queue = new DbJobQueue(database.handle.db);
  });
  afterAll(async () => database?.drop());
  beforeEach(async () => {
    await database.handle.db.job.deleteMany({});
  });

  it("runs a job through QUEUED -> RUNNING -> SUCCEEDED with timestamps", async () => {
    const job = await queue.enqueue("train-run", { runId: "r1" });
    expect(job.status).toBe("QUEUED");
    const claimed = await queue.claim("w1", { leaseMs: 10_000 });
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
  });

  it("never gives the same job to two workers claiming concurrently", async () => {
    const n = 20;
    for (let i = 0; i < n; i++) await queue.enqueue("train-run", { i });
    const workers = ["a", "b", "c", "d"];
    const claimedBy = new Map<string, string>();
    await Promise.all(
      workers.map(async (w) => {
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
    const job = await queue.enqueue("train-run", {});
    await queue.claim("dead", { leaseMs: 50 });
    await new Promise((r) => setTimeout(r, 80));
    expect(await queue.claim("alive", { leaseMs: 10_000 })).toBeNull(); // still RUNNING until reaped
    expect((await queue.requeueExpired()).requeued.map((j) => j.id)).toEqual([job.id]);
    const taken = await queue.claim("alive", { leaseMs: 10_000 });
    expect(taken).toMatchObject({ id: job.id, lockedBy: "alive", attempts: 2 });
    expect(await queue.heartbeat(job.id, "dead", 10_000)).toMatchObject({ owned: false });
    expect(await queue.complete(job.id, "dead")).toBe(false);
    expect(await queue.complete(job.id, "alive")).toBe(true);
  });

  it("fails a job for good once its attempts are used up by lost workers", async () => {
    const job = await queue.enqueue("train-run", {}, { maxAttempts: 1 });
    await queue.claim("dead", { leaseMs: 20 });
    await new Promise((r) => setTimeout(r, 50));
    const { failed } = await queue.requeueExpired();
    expect(failed.map((j) => j.id)).toEqual([job.id]);
    expect(await queue.get(job.id)).toMatchObject({ status: "FAILED", error: "the worker running this job stopped responding (1 attempts)" });
  });

  it("retries a failed job with a delay until attempts run out, without retry for bad input", async () => {
    const job = await queue.enqueue("train-run", {}, { maxAttempts: 2 });
    await queue.claim("w", { leaseMs: 10_000 });
    expect(await queue.fail(job.id, "w", "disk full", { retry: true, retryDelayMs: 60_000 })).toBe("QUEUED");
    expect(await queue.claim("w", { leaseMs: 10_000 })).toBeNull(); // not yet available
    await database.handle.db.job.update({ where: { id: job.id }, data: { availableAt: new Date(0) } });
    await queue.claim("w", { leaseMs: 10_000 });
    expect(await queue.fail(job.id, "w", "disk full again", { retry: true })).toBe("FAILED");
    expect(await queue.get(job.id)).toMatchObject({ status: "FAILED", attempts: 2, error: "disk full again" });

    const bad = await queue.enqueue("train-run", {});
    await queue.claim("w", { leaseMs: 10_000 });
    expect(await queue.fail(bad.id, "w", "unknown model 'nope'", { retry: false })).toBe("FAILED");
  });

  it("cancels queued jobs at once and running ones through their worker", async () => {
    const queued = await queue.enqueue("train-run", { n: 1 });
    expect((await queue.cancel(queued.id)).status).toBe("CANCELLED");
    const running = await queue.enqueue("train-run", { n: 2 });
    await queue.claim("w", { leaseMs: 10_000 });
    expect(await queue.cancel(running.id)).toMatchObject({ status: "RUNNING", cancelRequested: true });
    expect(await queue.heartbeat(running.id, "w", 10_000)).toEqual({ owned: true, cancelRequested: true });
    expect(await queue.markCancelled(running.id, "w")).toBe(true);
    expect((await queue.get(running.id))?.status).toBe("CANCELLED");
    await expect(queue.cancel("missing")).rejects.toThrow("job missing does not exist");
  });

  it("claims higher priority first, then oldest, and only the names asked for", async () => {
    const low = await queue.enqueue("train-run", { p: "low" });
    const high = await queue.enqueue("train-run", { p: "high" }, { priority: 5 });
    await queue.enqueue("other", {});
    expect((await queue.claim("w", { leaseMs: 1000, names: ["train-run"] }))?.id).toBe(high.id);
    expect((await queue.claim("w", { leaseMs: 1000, names: ["train-run"] }))?.id).toBe(low.id);
    expect(await queue.claim("w", { leaseMs: 1000, names: ["train-run"] })).toBeNull();
  });
});
