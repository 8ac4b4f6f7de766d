import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ready from "@/app/api/ready/route";
import { checkReadiness } from "@/lib/ops/readiness";
import { collectQueueMetricsFrom, registry } from "@/lib/ops/metrics";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { call, setDefaultToken, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

describe.each(PROVIDERS)("operations endpoints on %s", (provider) => {
  let database: TestDatabase;
  let bare: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    bare = await createTestDatabase(provider, false);
    useDatabase(database.handle);
    setDefaultToken(null);
  });
  afterAll(async () => {
    await database?.drop();
    await bare?.drop();
  });

  it("GET /api/ready answers 200 when the database answers and every migration is applied", async () => {
    const { status, body } = await call(ready.GET, { token: null });
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.checks.migrations.detail).toMatch(/^\d+ migrations applied$/);
  });

  it("is not ready on a database without migrations, naming them", async () => {
    const readiness = await checkReadiness(bare.handle.db, bare.handle.url);
    expect(readiness.ok).toBe(false);
    expect(readiness.checks.database.ok).toBe(true);
    expect(readiness.checks.migrations.detail).toMatch(/migration\(s\) not applied: 0001_.*run npm run db:migrate/);
  });

  it("exports queue depth per job name and state, job durations and worker heartbeats for Prometheus", async () => {
    const queue = new DbJobQueue(database.handle.db);
    await queue.enqueue("train-run", { runId: "a" });
    await queue.enqueue("train-run", { runId: "b" });
    const done = await queue.enqueue("rerank-sweep", { runId: "c" });
    await queue.claim("w-1", { leaseMs: 60_000, names: ["rerank-sweep"] });
    await queue.complete(done.id, "w-1", {});
    await queue.claim("w-2", { leaseMs: 60_000 });
    collectQueueMetricsFrom(() => database.handle.db);
    const text = await registry.metrics();
    expect(text).toContain('reclab_jobs{name="train-run",state="QUEUED"} 1');
    expect(text).toContain('reclab_jobs{name="train-run",state="RUNNING"} 1');
    expect(text).toContain('reclab_jobs{name="rerank-sweep",state="SUCCEEDED"} 1');
    expect(text).toMatch(/reclab_job_duration_seconds\{name="rerank-sweep",quantile="0.5"\} \d/);
    expect(text).toMatch(/reclab_worker_heartbeat_age_seconds\{worker="w-2"\} \d/);
    expect(text).toMatch(/reclab_queue_oldest_waiting_seconds \d/);
  });
});
