import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runs from "@/app/api/runs/route";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { call, setDefaultToken, tokenFor, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";
import { countJobLines, startWorkerProcess, stopProcess, waitFor } from "./support/worker-process";

describe.each(PROVIDERS)("worker processes on %s", (provider) => {
  let database: TestDatabase;
  let datasetId: string;
  beforeAll(async () => {
    database = await createTestDatabase(provider);
    useDatabase(database.handle);
    setDefaultToken(await tokenFor(database.handle.db, "analyst"));
    ({ id: datasetId } = await createSyntheticDataset(database.handle.db, { name: "crash test", options: { numUsers: 400, numItems: 300, seed: 11 } }));
  });
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  it("a worker killed mid-job (SIGKILL) has its job re-run to success by another", async () => {
    const db = database.handle.db;
    // Long enough to be killed mid-way: many epochs, no early stop.
    const created = await call(runs.POST, {
      method: "POST",
      json: { datasetId, config: { modelId: "bpr", params: { epochs: 400 }, patience: 1000 } },
    });
    expect(created.status).toBe(201);
    const runId: string = created.body.id;
    const leaseEnv = { RECLAB_LEASE_MS: "2000" };
    const doomed = startWorkerProcess(database.url, leaseEnv);
    try {
      await waitFor(async () => ((await db.metricPoint.count({ where: { runId } })) >= 3 ? true : undefined), 60_000, "the first epochs");
      const before = await db.job.findFirstOrThrow({ where: { id: (await db.run.findUniqueOrThrow({ where: { id: runId } })).jobId! } });
      expect(before).toMatchObject({ status: "RUNNING", attempts: 1 });
      doomed.kill("SIGKILL");
      await new Promise((r) => doomed.once("exit", r));

      const rescuer = startWorkerProcess(database.url, leaseEnv);
      try {
        const job = await waitFor(async () => {
          const j = await db.job.findUniqueOrThrow({ where: { id: before.id } });
          return j.status === "SUCCEEDED" || j.status === "FAILED" ? j : undefined;
        }, 120_000, "the job to finish on the second worker");
        expect(job.status).toBe("SUCCEEDED");
        expect(job.attempts).toBe(2);
        expect(job.lockedBy).not.toBe(before.lockedBy);
        const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
        expect(run.status).toBe("SUCCEEDED");
        expect(JSON.parse(run.metrics!).test["ndcg@10"]).toBeGreaterThan(0);
        // The learning curve is the second attempt's, epoch 1 onwards, without gaps.
        const steps = (await db.metricPoint.findMany({ where: { runId, key: "validation/ndcg@10" }, orderBy: { step: "asc" } })).map((p) => p.step);
        expect(steps[0]).toBe(1);
        expect(steps).toEqual(steps.map((_, i) => i + 1));
      } finally {
        await stopProcess(rescuer);
      }
    } finally {
      await stopProcess(doomed);
    }
  });

  it("two worker processes share a queue without running any job twice", async () => {
    const db = database.handle.db;
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const created = await call(runs.POST, { method: "POST", json: { datasetId, config: { modelId: i % 2 ? "pop" : "item-knn", seed: i } } });
      ids.push(created.body.id);
    }
    const workers = [startWorkerProcess(database.url), startWorkerProcess(database.url)];
    try {
      const jobIds = (await db.run.findMany({ where: { id: { in: ids } } })).map((r) => r.jobId!);
      // A run is marked done just before its job is completed: wait for the jobs, the later of the two.
      const jobs = await waitFor(async () => {
        const all = await db.job.findMany({ where: { id: { in: jobIds } } });
        return all.every((j) => j.status !== "QUEUED" && j.status !== "RUNNING") ? all : undefined;
      }, 120_000, "all jobs");
      expect(jobs.map((j) => [j.status, j.attempts])).toEqual(jobs.map(() => ["SUCCEEDED", 1]));
      expect(await db.run.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })).toBe(ids.length);
      // Each job's claim is in exactly one worker's log.
      const logs = workers.map((w) => w.output());
      for (const job of jobs) expect(logs.filter((log) => countJobLines(log, "claimed", job.id) === 1), `claims of ${job.id}`).toHaveLength(1);
      // Workers make themselves background work so the web server stays responsive: nice 10
      // (RECLAB_WORKER_NICE) and, on Linux with chrt, the idle scheduling policy
      // (RECLAB_WORKER_SCHED) on every thread, V8's collector and compiler threads included.
      for (const w of workers) {
        expect(os.getPriority(w.pid!)).toBe(Math.max(os.getPriority(), 10));
        const threads = fs.existsSync(`/proc/${w.pid}/task`) ? fs.readdirSync(`/proc/${w.pid}/task`).map(Number) : [];
        for (const thread of threads) {
          expect(os.getPriority(thread), `nice of thread ${thread}`).toBeGreaterThanOrEqual(10);
          if (HAS_CHRT) expect(schedulingPolicy(w.pid!, thread), `policy of thread ${thread}`).toBe(SCHED_IDLE);
        }
      }
    } finally {
      await Promise.all(workers.map(stopProcess));
    }
  });
});

const SCHED_IDLE = 5;
const HAS_CHRT = process.platform === "linux" && spawnSync("chrt", ["--version"]).status === 0;

/** A thread's scheduling policy number (Linux /proc/<pid>/task/<tid>/sched: 0 normal, 5 idle). */
function schedulingPolicy(pid: number, thread: number): number {
  const line = fs.readFileSync(`/proc/${pid}/task/${thread}/sched`, "utf8").split("\n").find((l) => l.startsWith("policy"));
  return Number(line?.split(":")[1]);
}
