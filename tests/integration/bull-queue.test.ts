import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BULL_QUEUE_NAME, BullJobQueue } from "@/lib/queue/bull-queue";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";
import { claimWithin, defineQueueContract } from "./support/queue-contract";
import { deletePrefix, REDIS_AVAILABLE, REDIS_TEST_URL, testPrefix } from "./support/redis";

describe.skipIf(!REDIS_AVAILABLE).each(PROVIDERS)("BullMQ job queue on Redis + %s", (provider) => {
  let database: TestDatabase;
  let queue: BullJobQueue;
  let prefix: string;
  beforeAll(async () => {
    database = await createTestDatabase(provider);
  });
  afterAll(async () => database?.drop());
  beforeEach(async () => {
    await database.handle.db.job.deleteMany({});
    prefix = testPrefix();
    // A short lease so that BullMQ's stalled check (every lease/2, at least 1 s) runs within the tests.
    queue = new BullJobQueue(database.handle.db, { redisUrl: REDIS_TEST_URL, prefix, leaseMs: 1000, reconcileMs: 0, log: () => undefined });
  });
  afterEach(async () => {
    await queue.close();
    await deletePrefix(REDIS_TEST_URL, prefix);
  });

  defineQueueContract(() => ({ queue, db: database.handle.db }));

  it("re-dispatches queued jobs after Redis lost its state, from the Job table", async () => {
    const a = await queue.enqueue("train-run", { n: 1 });
    const b = await queue.enqueue("train-run", { n: 2 });
    expect(await deletePrefix(REDIS_TEST_URL, prefix)).toBeGreaterThan(0); // as a restart without persistence would
    const first = await claimWithin(queue, "w", 3000);
    const second = await claimWithin(queue, "w", 3000);
    expect([first?.id, second?.id].sort()).toEqual([a.id, b.id].sort());
  });

  it("does not run a job twice when Redis hands it out again while its owner holds the lease", async () => {
    const job = await queue.enqueue("train-run", {});
    expect(await claimWithin(queue, "owner", 3000, 10_000)).toMatchObject({ id: job.id });
    await deletePrefix(REDIS_TEST_URL, prefix); // Redis forgets the lock and the job ...
    await database.handle.db.job.update({ where: { id: job.id }, data: { status: "QUEUED" } });
    await queue.reconcile(true); // ... and gets it again (here forced: the row looked QUEUED for a moment)
    await database.handle.db.job.update({ where: { id: job.id }, data: { status: "RUNNING" } });
    expect(await claimWithin(queue, "intruder", 1500)).toBeNull();
    expect(await queue.complete(job.id, "owner")).toBe(true);
    expect(await queue.get(job.id)).toMatchObject({ status: "SUCCEEDED", attempts: 1, lockedBy: "owner" });
  });

  it("publishes progress on the BullMQ job, and keeps the Job row as the record", async () => {
    const job = await queue.enqueue("train-run", {});
    await claimWithin(queue, "w", 3000);
    await queue.heartbeat(job.id, "w", 10_000, { progress: 0.25, message: "epoch 1/4" });
    const observer = new Queue(BULL_QUEUE_NAME, { connection: { url: REDIS_TEST_URL }, prefix });
    try {
      expect((await observer.getJob(job.id))?.progress).toEqual({ progress: 0.25, message: "epoch 1/4" });
      await queue.complete(job.id, "w", { ok: true });
      expect(await observer.getJob(job.id)).toBeUndefined(); // removed from Redis once settled
    } finally {
      await observer.close();
    }
    expect(await queue.get(job.id)).toMatchObject({ status: "SUCCEEDED", result: { ok: true } });
  });
});
