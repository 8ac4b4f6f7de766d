import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as datasets from "@/app/api/datasets/route";
import * as dataset from "@/app/api/datasets/[id]/route";
import * as synthetic from "@/app/api/datasets/synthetic/route";
import * as health from "@/app/api/health/route";
import * as job from "@/app/api/jobs/[id]/route";
import * as cancelJob from "@/app/api/jobs/[id]/cancel/route";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import type { Db } from "@/lib/db/client";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { jobHandlers } from "@/workers/handlers";
import { Worker } from "@/workers/worker";
import { call, setDefaultToken, uploadForm, useTeamDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";
import { waitFor } from "./support/worker-process";

/**
 * Issue 9, findings 1 and 8: a request cannot make the web process do unbounded work (synthetic
 * generation is a job with limits, progress and cancellation), and internal errors never reach
 * users (a tiny dataset that makes BPR produce NaN fails once, with a sentence users can act on).
 */
describe.each(PROVIDERS)("hostile requests and jobs on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let analyst: string;
  let viewer: string;
  let otherTeam: string;
  const worker = () => new Worker({ workerId: "hostile-test", queue: new DbJobQueue(db), handlers: jobHandlers });
  const generate = (options: Record<string, unknown>, token = analyst) =>
    call(synthetic.POST, { method: "POST", json: { name: "Hostile synthetic", options }, token });
  const getJob = (id: string, token = analyst) => call(job.GET, { params: { id }, token });

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ({ db, analyst, viewer, otherTeam } = await useTeamDatabase(database.handle));
  });
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  describe("finding 1: synthetic generation is a bounded job", () => {
    it("refuses the oversized request with 400 naming the limit, and queues nothing", async () => {
      const response = await generate({ numUsers: 100_000, numItems: 20_000, interactionsPerUser: 1e9, minInteractionsPerUser: 1e9 });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("BAD_INPUT");
      expect(response.body.error.message).toContain("options.interactionsPerUser: the mean interactions per user may be at most 10,000");
      expect(response.body.error.message).toContain("the fewest interactions per user may be at most 10,000");
      const total = await generate({ numUsers: 200_000, numItems: 50_000, interactionsPerUser: 1000 });
      expect(total.status).toBe(400);
      expect(total.body.error.message).toMatch(/expected number of interactions .* exceeds the limit of 25,000,000/);
      expect(await db.job.count()).toBe(0);
    });

    it("answers an allowed large request with 202 at once; a queued generation can be cancelled", async () => {
      const response = await generate({ numUsers: 1000, numItems: 2000, interactionsPerUser: 100 });
      expect(response.status).toBe(202);
      const { jobId } = response.body;
      expect(jobId).toEqual(expect.any(String));
      expect(await db.dataset.count()).toBe(0);
      expect((await getJob(jobId)).body.job).toMatchObject({ id: jobId, name: "generate-synthetic", status: "QUEUED", result: null });
      const cancelled = await call(cancelJob.POST, { method: "POST", params: { id: jobId } });
      expect(cancelled).toMatchObject({ status: 200, body: { status: "CANCELLED" } });
      expect(await worker().runOnce()).toBe(false);
      expect((await getJob(jobId)).body.job.status).toBe("CANCELLED");
      expect((await call(cancelJob.POST, { method: "POST", params: { id: jobId } })).status).toBe(409);
    });

    it("a worker generates the dataset with progress; the job reports it done with the dataset id", async () => {
      const response = await generate({ numUsers: 120, numItems: 80, seed: 3 });
      expect(response.status).toBe(202);
      expect(await worker().runOnce()).toBe(true);
      const done = (await getJob(response.body.jobId)).body.job;
      expect(done).toMatchObject({ status: "SUCCEEDED", progress: 1, error: null, attempts: 1 });
      const datasetId: string = done.result.datasetId;
      const detail = await call(dataset.GET, { params: { id: datasetId } });
      expect(detail.status).toBe(200);
      expect(detail.body.dataset).toMatchObject({ name: "Hostile synthetic", source: "synthetic", numUsers: 120, numItems: 80 });
      const row = await db.dataset.findUniqueOrThrow({ where: { id: datasetId } });
      expect(row.teamId).toBe("default");
      expect(row.createdById).not.toBeNull();
      // A viewer of the team may follow the job; another team may not even learn it exists.
      expect((await getJob(response.body.jobId, viewer)).status).toBe(200);
      expect((await getJob(response.body.jobId, otherTeam)).status).toBe(404);
    });

    it("cancels a running generation; the web process keeps answering while it runs", async () => {
      const running = new Worker({ workerId: "hostile-runner", queue: new DbJobQueue(db), handlers: jobHandlers, heartbeatMs: 200, pollMs: 50 });
      const loop = running.run();
      try {
        const before = await db.dataset.count();
        const response = await generate({ numUsers: 2000, numItems: 2000, interactionsPerUser: 100 });
        expect(response.status).toBe(202);
        const { jobId } = response.body;
        const progressing = await waitFor(async () => {
          const j = (await getJob(jobId)).body.job;
          return j.status === "RUNNING" && j.progress > 0 ? j : undefined;
        }, 30_000, "the generation to report progress");
        expect(progressing.message).toMatch(/users \d[\d,]* \/ 2,000 · ETA/);
        expect((await call(health.GET, { token: null })).status).toBe(200);
        expect((await call(cancelJob.POST, { method: "POST", params: { id: jobId }, token: otherTeam })).status).toBe(404);
        expect((await call(cancelJob.POST, { method: "POST", params: { id: jobId }, token: viewer })).status).toBe(403);
        expect((await call(cancelJob.POST, { method: "POST", params: { id: jobId } })).body).toEqual({ status: "CANCELLING" });
        const settled = await waitFor(async () => {
          const j = (await getJob(jobId)).body.job;
          return j.status === "RUNNING" ? undefined : j;
        }, 30_000, "the generation to stop");
        expect(settled.status).toBe("CANCELLED");
        expect(settled.progress).toBeLessThan(1);
        expect(await db.dataset.count()).toBe(before);
      } finally {
        running.stop();
        await loop;
      }
    });

    it("lets a viewer read but not create; another team gets 404 for the job", async () => {
      expect((await generate({ numUsers: 30, numItems: 20 }, viewer)).status).toBe(403);
      const response = await generate({ numUsers: 30, numItems: 20 });
      expect((await getJob(response.body.jobId, otherTeam)).status).toBe(404);
      expect((await call(cancelJob.POST, { method: "POST", params: { id: response.body.jobId }, token: otherTeam })).status).toBe(404);
      expect((await getJob("no-such-job")).status).toBe(404);
      await call(cancelJob.POST, { method: "POST", params: { id: response.body.jobId } });
    });
  });

  describe("finding 8: internal errors stay internal; hopeless runs fail once", () => {
    const U_DATA = ["1\t10\t5\t881250949", "1\t20\t3\t881250950", "2\t10\t4\t881250951", "2\t30\t1\t881250952", "3\t20\t2\t881250953"].join("\n") + "\n";

    it("BPR on a 5-row dataset fails at once with a sentence, and no internals in the run API or list", async () => {
      const form = uploadForm({ name: "Five rows", format: "movielens-100k" }, { ratings: { name: "u.data", content: U_DATA } });
      const imported = await call(datasets.POST, { method: "POST", body: form });
      expect(imported.status).toBe(201);
      const launched = await call(runs.POST, { method: "POST", json: { datasetId: imported.body.id, config: { modelId: "bpr", params: { epochs: 5 } } } });
      expect(launched.status).toBe(201);
      const w = worker();
      while (await w.runOnce());

      const detail = await call(run.GET, { params: { id: launched.body.id } });
      expect(detail.body.run.status).toBe("FAILED");
      expect(detail.body.run.error).toBe("the model diverged or the dataset is too small (5 interactions)");
      const jobRow = await db.job.findUniqueOrThrow({ where: { id: detail.body.run.job.id } });
      expect(jobRow).toMatchObject({ status: "FAILED", attempts: 1 });
      const listed = await call(runs.GET, { url: `http://localhost/api/runs?datasetId=${imported.body.id}` });
      for (const text of [JSON.stringify(detail.body), JSON.stringify(listed.body)]) {
        expect(text).toContain("the model diverged or the dataset is too small (5 interactions)");
        expect(text).not.toMatch(/prisma|NaN|\.ts\b|node_modules|\/work\/|\n\s+at /i);
      }
    });
  });
});
