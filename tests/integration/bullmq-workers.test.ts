import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchExperiment } from "@/lib/experiments/launch-experiment";
import { BullJobQueue } from "@/lib/queue/bull-queue";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { CHECKPOINT_ARTIFACT, decodeCheckpoint } from "@/lib/training/checkpoint";
import { useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";
import { simulatePostgresRestart } from "./support/pg-outage";
import { freePort } from "@/lib/util/free-port";
import { deletePrefix, REDIS_AVAILABLE, REDIS_TEST_URL, testPrefix, ThrowawayRedis } from "./support/redis";
import { countJobLines, startWorkerProcess, stopProcess, waitFor } from "./support/worker-process";
import * as runs from "@/app/api/runs/route";
import { call } from "./support/api";

const PG = PROVIDERS.includes("postgresql");
if (!PG) console.warn("[tests] PostgreSQL not reachable: skipping the BullMQ worker fault tests");

type Worker = ChildProcess & { output: () => string };

/**
 * Time budgets. Worker processes start slowly on a loaded 2-core machine (tsx, Prisma, tfjs), so
 * every wait is on a condition with one generous overall deadline per test, which ends in a
 * diagnosis (worker logs and job rows) rather than in vitest's bare timeout.
 */
const GRID_BUDGET_MS = 300_000;
const SIGTERM_BUDGET_MS = 240_000;
/** Vitest's timeout: the budget plus room for tear-down and the diagnosis. */
const TEARDOWN_MS = 60_000;

/** Milliseconds left until `deadline` (at least 1 s, so a late stage still gets one look). */
function leftUntil(deadline: number): number {
  return Math.max(1000, deadline - Date.now());
}

/**
 * SIGKILLs `worker` at a moment it holds a RUNNING trial. The process is frozen (SIGSTOP) before
 * the Job table is read, so the trial cannot finish between the look and the kill (a fast trial
 * otherwise can); if it holds none, it is thawed and looked at again. Returns the trials the
 * dead worker left RUNNING, read once it has exited.
 */
async function killWhileHoldingTrial(db: TestDatabase["handle"]["db"], worker: Worker, deadline: number): Promise<{ id: string }[]> {
  const heldByDoomed = () => db.job.findMany({ where: { status: "RUNNING", name: "train-run", lockedBy: { endsWith: `:${worker.pid}` } }, select: { id: true } });
  await waitFor(
    async () => {
      if ((await heldByDoomed()).length === 0) return undefined;
      worker.kill("SIGSTOP");
      // A completion already sent to PostgreSQL before the freeze still lands: let it.
      await new Promise((r) => setTimeout(r, 300));
      if ((await heldByDoomed()).length > 0) return true;
      worker.kill("SIGCONT");
      return undefined;
    },
    leftUntil(deadline),
    "a trial running on the first worker",
  );
  const exited = new Promise((r) => worker.once("exit", r));
  worker.kill("SIGKILL");
  await exited;
  return heldByDoomed();
}

/** What the workers printed and where the jobs stood: a hang is undiagnosable without it. */
async function diagnose(error: unknown, database: TestDatabase, workers: Worker[]): Promise<never> {
  const jobs = await database.handle.db.job.findMany({ select: { id: true, name: true, status: true, attempts: true, lockedBy: true, error: true } });
  const logs = workers.map((w) => `--- worker pid ${w.pid}:\n${w.output().slice(-4000)}`);
  throw new Error([String(error), ...logs, "jobs:", JSON.stringify(jobs)].join("\n"), { cause: error });
}

describe.skipIf(!REDIS_AVAILABLE || !PG)("BullMQ workers on Redis + PostgreSQL under faults", () => {
  let database: TestDatabase;
  let datasetId: string;
  let redis: ThrowawayRedis;
  beforeAll(async () => {
    process.env.RECLAB_SINGLE_USER = "1";
    database = await createTestDatabase("postgresql");
    useDatabase(database.handle);
    ({ id: datasetId } = await createSyntheticDataset(database.handle.db, { name: "bullmq grid", options: { numUsers: 150, numItems: 100, seed: 5 } }));
    // Our own server, so that it can be restarted (losing its state) without touching the shared one.
    redis = new ThrowawayRedis(await freePort());
    await redis.start();
  });
  afterAll(async () => {
    delete process.env.RECLAB_SINGLE_USER;
    await redis?.stop();
    await database?.drop();
  });

  it("finishes a 40-trial grid exactly once across a SIGKILLed worker, a Redis restart and a PostgreSQL restart", async () => {
    const db = database.handle.db;
    const prefix = testPrefix();
    const env = { REDIS_URL: redis.url, RECLAB_REDIS_PREFIX: prefix, RECLAB_LEASE_MS: "3000" };
    const producer = new BullJobQueue(db, { redisUrl: redis.url, prefix, log: () => undefined });
    const neighbours = [5, 10, 15, 20, 25, 30, 40, 50, 60, 80];
    const { id: experimentId, runs: total } = await launchExperiment(db, producer, {
      datasetId,
      base: { modelId: "item-knn", ks: [10] },
      spec: { kind: "grid", space: { neighbours: { type: "values", values: neighbours }, shrinkage: { type: "values", values: [0, 5, 10, 50] } } },
    });
    expect(total).toBe(40);
    const workers: Worker[] = [startWorkerProcess(database.url, env), startWorkerProcess(database.url, env)];
    const [doomed] = workers;
    const t0 = Date.now();
    const mark = (what: string) => console.log(`[bullmq grid] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const deadline = t0 + GRID_BUDGET_MS;
    const settled = () => db.run.count({ where: { experimentId, role: "trial", status: { in: ["SUCCEEDED", "FAILED", "CANCELLED"] } } });
    try {
      // 1. SIGKILL a worker while it holds a trial.
      const orphans = await killWhileHoldingTrial(db, doomed, deadline);
      expect(orphans.length).toBeGreaterThan(0);
      mark(`SIGKILLed a worker holding ${orphans.map((j) => j.id).join(", ")}`);
      expect(await settled()).toBeLessThan(40);
      workers.push(startWorkerProcess(database.url, env));

      // 2. Redis restarts without persistence: every queued job and lock in it is gone.
      await waitFor(async () => ((await settled()) >= 12 ? true : undefined), leftUntil(deadline), "12 trials");
      expect(await settled()).toBeLessThan(40);
      await redis.stop();
      await new Promise((r) => setTimeout(r, 1000));
      await redis.start();
      mark("restarted Redis (state lost)");

      // 3. PostgreSQL "restarts": backends terminated, connections refused for 3 s.
      await waitFor(async () => ((await settled()) >= 20 ? true : undefined), leftUntil(deadline), "20 trials");
      expect(await settled()).toBeLessThan(40);
      const { terminated } = await simulatePostgresRestart(database.url, 3000);
      expect(terminated).toBeGreaterThan(0);
      mark(`PostgreSQL outage over (${terminated} backends terminated)`);

      const experiment = await waitFor(async () => {
        const e = await db.experiment.findUniqueOrThrow({ where: { id: experimentId } });
        return e.status === "QUEUED" || e.status === "RUNNING" ? undefined : e;
      }, leftUntil(deadline), "the experiment to finish");
      mark("experiment finalised");
      expect(experiment.status).toBe("SUCCEEDED");

      const trials = await db.run.findMany({ where: { experimentId, role: "trial" } });
      expect(trials).toHaveLength(40);
      expect(trials.filter((t) => t.status !== "SUCCEEDED")).toEqual([]);
      // A trial whose worker lost its lease after finishing the run (a heartbeat stuck behind the
      // PostgreSQL outage, longer than the 3 s lease) is re-queued and comes round once more, to
      // be completed without training again: wait for the queue to drain.
      const trialJobIds = trials.map((t) => t.jobId!);
      const jobs = await waitFor(async () => {
        const rows = await db.job.findMany({ where: { id: { in: trialJobIds } } });
        return rows.some((j) => j.status === "QUEUED" || j.status === "RUNNING") ? undefined : rows;
      }, leftUntil(deadline), "every trial job to settle");
      expect(jobs.filter((j) => j.status !== "SUCCEEDED")).toEqual([]);
      // The trials the killed worker held were re-run by another worker (a further attempt is
      // possible if the PostgreSQL outage hit one of them mid-transaction).
      for (const orphan of orphans) {
        const job = jobs.find((j) => j.id === orphan.id);
        expect(job?.attempts, `attempts of ${orphan.id}`).toBeGreaterThanOrEqual(2);
        expect(job?.lockedBy).not.toMatch(new RegExp(`:${doomed.pid}$`));
      }
      // One learning-curve point per trial and metric (item-knn has one "epoch"): nothing written twice.
      const points = await db.metricPoint.groupBy({ by: ["runId", "key"], where: { run: { experimentId, role: "trial" } }, _count: true });
      expect(points.length).toBeGreaterThan(0);
      expect(points.filter((p) => p._count !== 1)).toEqual([]);
      expect(new Set(points.map((p) => p.runId)).size).toBe(40);
      // Every job completed exactly once across all worker logs.
      const logs = workers.map((w) => w.output()).join("\n");
      for (const t of trials) expect(countJobLines(logs, "finished", t.jobId!), `completions of ${t.jobId}`).toBe(1);
      // Finalised once: one final run, one finalize job that did the work. (The experiment is
      // marked finished inside that job, so its job row closes a moment later.)
      await waitFor(async () => ((await db.job.findUniqueOrThrow({ where: { id: experiment.finalizeJobId! } })).status === "SUCCEEDED" ? true : undefined), leftUntil(deadline), "the finalize job to close");
      expect(await db.run.count({ where: { experimentId, role: "final" } })).toBe(1);
      const finalizeJobs = await db.job.findMany({ where: { name: "finalize-experiment", status: "SUCCEEDED" } });
      expect(finalizeJobs.filter((j) => !JSON.parse(j.result ?? "{}").skipped).map((j) => j.id)).toEqual([experiment.finalizeJobId]);
    } catch (error) {
      await diagnose(error, database, workers);
    } finally {
      await Promise.all(workers.map(stopProcess));
      await producer.close();
    }
  }, GRID_BUDGET_MS + TEARDOWN_MS);

  describe.each(["bullmq", "database"] as const)("SIGTERM on the %s queue", (kind) => {
    const EPOCHS = 60;
    it("checkpoints the running epoch, re-queues the job without using an attempt, and a later worker finishes it", async () => {
      const db = database.handle.db;
      const prefix = testPrefix();
      const env: Record<string, string> = kind === "bullmq" ? { REDIS_URL: REDIS_TEST_URL, RECLAB_REDIS_PREFIX: prefix } : {};
      const deadline = Date.now() + SIGTERM_BUDGET_MS;
      // No periodic checkpoint (checkpointEvery > epochs): the one found after SIGTERM can only be
      // the shutdown's. 60 epochs of ~50-200 ms leave seconds between the SIGTERM and the end of
      // training, however late the test process gets to send it on a loaded machine.
      const created = await call(runs.POST, { method: "POST", json: { datasetId, config: { modelId: "bpr", params: { epochs: EPOCHS }, patience: 1000, checkpointEvery: 1000 } } });
      expect(created.status).toBe(201);
      const runId: string = created.body.id;
      const jobId = (await db.run.findUniqueOrThrow({ where: { id: runId } })).jobId!;
      if (kind === "bullmq") {
        // The API enqueued on the database queue (no REDIS_URL in this process): hand it to Redis as a web server with REDIS_URL would.
        const queue = new BullJobQueue(db, { redisUrl: REDIS_TEST_URL, prefix, log: () => undefined });
        await queue.reconcile(true);
        await queue.close();
      }
      const busy = startWorkerProcess(database.url, env);
      const workers: Worker[] = [busy];
      try {
        await waitFor(async () => ((await db.metricPoint.count({ where: { runId, key: "validation/ndcg@10" } })) >= 2 ? true : undefined), leftUntil(deadline), "the first epochs");
        busy.kill("SIGTERM");
        const code = await new Promise<number | null>((r) => busy.once("exit", (c) => r(c)));
        expect(code).toBe(0);
        expect(countJobLines(busy.output(), "released", jobId)).toBe(1);
        // Back in the queue, attempt given back; a checkpoint of the epoch it stopped at.
        expect(await db.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: "QUEUED", attempts: 0, lockedBy: null });
        const bytes = await db.runArtifact.findUniqueOrThrow({ where: { runId_kind: { runId, kind: CHECKPOINT_ARTIFACT } } });
        const stoppedAt = decodeCheckpoint(bytes.data).epoch;
        expect(stoppedAt).toBeGreaterThanOrEqual(2);
        expect(stoppedAt).toBeLessThan(EPOCHS);

        const later = startWorkerProcess(database.url, env);
        workers.push(later);
        const job = await waitFor(async () => {
          const j = await db.job.findUniqueOrThrow({ where: { id: jobId } });
          return j.status === "QUEUED" || j.status === "RUNNING" ? undefined : j;
        }, leftUntil(deadline), "the job to finish on a later worker");
        expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
        expect(countJobLines(later.output(), "claimed", jobId)).toBe(1);
        // The curve continues from the checkpoint: epochs 1..EPOCHS once each.
        const steps = (await db.metricPoint.findMany({ where: { runId, key: "validation/ndcg@10" }, orderBy: { step: "asc" } })).map((p) => p.step);
        expect(steps).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
        expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("SUCCEEDED");
      } catch (error) {
        await diagnose(error, database, workers);
      } finally {
        await Promise.all(workers.map(stopProcess));
        if (kind === "bullmq") await deletePrefix(REDIS_TEST_URL, prefix);
      }
    }, SIGTERM_BUDGET_MS + TEARDOWN_MS);
  });
});
