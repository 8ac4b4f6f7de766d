import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as experiments from "@/app/api/experiments/route";
import * as runs from "@/app/api/runs/route";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { call, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";
import { startWorkerProcess, stopProcess, waitFor } from "./support/worker-process";

describe.each(PROVIDERS)("a grid search on two worker processes on %s", (provider) => {
  let database: TestDatabase;
  let datasetId: string;
  beforeAll(async () => {
    process.env.RECLAB_SINGLE_USER = "1";
    database = await createTestDatabase(provider);
    useDatabase(database.handle);
    ({ id: datasetId } = await createSyntheticDataset(database.handle.db, { name: "grid", options: { numUsers: 300, numItems: 200, seed: 3 } }));
  });
  afterAll(async () => {
    delete process.env.RECLAB_SINGLE_USER;
    await database?.drop();
  });

  it("loses no trial when a worker is SIGKILLed mid-grid, and evaluates the selected configuration on test once", async () => {
    const db = database.handle.db;
    const created = await call(experiments.POST, {
      method: "POST",
      json: {
        datasetId,
        base: { modelId: "bpr", params: { epochs: 60, factors: 16 }, patience: 100, ks: [10] },
        spec: { kind: "grid", space: { learningRate: { type: "values", values: [0.05, 0.1, 0.2] }, regularization: { type: "values", values: [0.01, 0.05] } } },
      },
    });
    expect(created.status).toBe(201);
    const experimentId: string = created.body.id;
    const leaseEnv = { RECLAB_LEASE_MS: "2000" };
    const doomed = startWorkerProcess(database.url, leaseEnv);
    const survivor = startWorkerProcess(database.url, leaseEnv);
    const workerOf = (lockedBy: string | null) => lockedBy?.endsWith(`:${doomed.pid}`);
    try {
      // Kill the first worker while it is mid-trial, after at least one trial finished.
      await waitFor(async () => {
        const finished = await db.run.count({ where: { experimentId, status: "SUCCEEDED" } });
        // Every running trial, not findFirst: PostgreSQL returns rows in no fixed order, and the
        // first could always be the survivor's.
        const runningJobs = await db.job.findMany({ where: { status: "RUNNING", name: "train-run" } });
        const running = runningJobs.find((j) => workerOf(j.lockedBy));
        if (finished === 0 || !running) return undefined;
        // Mid-trial with most of it left: its run still RUNNING (a finished run's job is closed a
        // moment later) and at most half of its 60 epochs logged, so it cannot end before the kill.
        const run = await db.run.findFirst({ where: { jobId: running.id }, select: { status: true, history: { select: { step: true }, orderBy: { step: "desc" }, take: 1 } } });
        const lastEpoch = run?.history[0]?.step;
        return run?.status === "RUNNING" && lastEpoch !== undefined && lastEpoch <= 30 ? running : undefined;
      }, 60_000, "a trial running on the first worker");
      doomed.kill("SIGKILL");
      await new Promise((r) => doomed.once("exit", r));
      // The trial it held at the moment it died (its job stays RUNNING until the lease expires).
      const held = await db.job.findMany({ where: { status: "RUNNING", name: "train-run" } });
      const victim = held.find((j) => workerOf(j.lockedBy));
      expect(victim, "the killed worker held a trial").toBeDefined();

      const experiment = await waitFor(async () => {
        const e = await db.experiment.findUniqueOrThrow({ where: { id: experimentId } });
        return e.status === "QUEUED" || e.status === "RUNNING" ? undefined : e;
      }, 90_000, "the experiment to finish on the surviving worker");
      expect(experiment.status).toBe("SUCCEEDED");

      const trials = await db.run.findMany({ where: { experimentId, role: "trial" } });
      expect(trials).toHaveLength(6);
      expect(trials.every((t) => t.status === "SUCCEEDED")).toBe(true);
      // Trials were evaluated on validation only.
      for (const t of trials) expect(JSON.parse(t.metrics!).test).toEqual({});
      const rerun = await db.job.findUniqueOrThrow({ where: { id: victim!.id } });
      expect(rerun).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
      expect(workerOf(rerun.lockedBy)).toBe(false);

      // Exactly one test evaluation: one final run, one finalize job that did the work. (The
      // experiment is marked finished inside that job, so its job row closes a moment later.)
      await waitFor(async () => ((await db.job.findUniqueOrThrow({ where: { id: experiment.finalizeJobId! } })).status === "SUCCEEDED" ? true : undefined), 30_000, "the finalize job to close");
      const finals = await db.run.findMany({ where: { experimentId, role: "final" } });
      expect(finals).toHaveLength(1);
      const final = finals[0];
      expect(final.status).toBe("SUCCEEDED");
      const finalizeJobs = await db.job.findMany({ where: { name: "finalize-experiment", status: "SUCCEEDED" } });
      const working = finalizeJobs.filter((j) => !JSON.parse(j.result ?? "{}").skipped);
      expect(working.map((j) => j.id)).toEqual([experiment.finalizeJobId]);
      expect(await db.runArtifact.count({ where: { run: { experimentId }, kind: "per-user-metrics" } })).toBe(1);

      // The selected configuration is reproducible from its stored resolved config: launched as
      // a plain run, a worker gives the same test metrics.
      const stored = JSON.parse(final.metrics!).test;
      expect(stored["ndcg@10"]).toBeGreaterThan(0);
      const rerun2 = await call(runs.POST, { method: "POST", json: { datasetId, config: JSON.parse(final.config) } });
      expect(rerun2.status).toBe(201);
      const again = await waitFor(async () => {
        const r = await db.run.findUniqueOrThrow({ where: { id: rerun2.body.id } });
        return r.status === "SUCCEEDED" || r.status === "FAILED" ? r : undefined;
      }, 60_000, "the re-run of the selected configuration");
      expect(JSON.parse(again.metrics!).test).toEqual(stored);
    } catch (error) {
      // A hang on CI is undiagnosable without what the workers printed and where the jobs stood.
      const jobs = await db.job.findMany({ select: { id: true, name: true, status: true, attempts: true, lockedBy: true, leaseUntil: true, error: true } });
      const detail = [`doomed worker (pid ${doomed.pid}):`, doomed.output(), `surviving worker (pid ${survivor.pid}):`, survivor.output(), "jobs:", JSON.stringify(jobs, null, 1)].join("\n");
      throw new Error(`${String(error)}\n${detail}`, { cause: error });
    } finally {
      await Promise.all([stopProcess(doomed), stopProcess(survivor)]);
    }
  }, 300_000);
});
