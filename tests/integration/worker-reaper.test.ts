import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { Worker, type JobHandler } from "@/workers/worker";
import { createTestDatabase, type TestDatabase } from "./support/databases";

describe("a worker reaping lost jobs", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
  });
  afterAll(async () => database?.drop());

  it("re-queues a lost job with attempts left, and runs onFailed for one without", async () => {
    const queue = new DbJobQueue(database.handle.db);
    const failedCalls: [unknown, string][] = [];
    const handled: unknown[] = [];
    const handler: JobHandler = {
      async handle(payload) {
        handled.push(payload);
        return null;
      },
      async onFailed(payload, message) {
        failedCalls.push([payload, message]);
      },
    };
    const lastChance = await queue.enqueue("probe", { n: 1 }, { maxAttempts: 1 });
    await queue.claim("dead-worker", { leaseMs: 20 });
    const retryable = await queue.enqueue("probe", { n: 2 }, { maxAttempts: 3 });
    await queue.claim("dead-worker", { leaseMs: 20 });
    await new Promise((r) => setTimeout(r, 60));

    const worker = new Worker({ workerId: "reaper", queue, handlers: { probe: async () => handler } });
    expect(await worker.runOnce()).toBe(true);
    expect(failedCalls).toEqual([[{ n: 1 }, "the worker running this job stopped responding (1 attempts)"]]);
    expect(handled).toEqual([{ n: 2 }]);
    expect((await queue.get(lastChance.id))?.status).toBe("FAILED");
    expect(await queue.get(retryable.id)).toMatchObject({ status: "SUCCEEDED", attempts: 2, lockedBy: "reaper" });
  });
});
