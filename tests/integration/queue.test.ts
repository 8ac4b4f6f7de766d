import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";
import { defineQueueContract } from "./support/queue-contract";

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

  defineQueueContract(() => ({ queue, db: database.handle.db }));
});
