import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as compare from "@/app/api/compare/route";
import * as job from "@/app/api/jobs/[id]/route";
import * as cancelJob from "@/app/api/jobs/[id]/cancel/route";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import * as bias from "@/app/api/runs/[id]/bias/route";
import * as sweeps from "@/app/api/runs/[id]/rerank-sweeps/route";
import * as variants from "@/app/api/runs/[id]/variants/route";
import type { Db } from "@/lib/db/client";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { jobHandlers } from "@/workers/handlers";
import { Worker } from "@/workers/worker";
import { call, setDefaultToken, useTeamDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

/**
 * Issue 10, deliverable 3: re-ranking a finished run without retraining. A run keeps its top-C
 * candidates; a λ sweep is a job run by a worker and stores the trade-off curve with the run;
 * a point saved as a variant run lists and compares (paired tests) like any run.
 */
describe.each(PROVIDERS)("re-ranking sweeps and variants on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let analyst: string;
  let viewer: string;
  let otherTeam: string;
  let baseRunId: string;
  const worker = () => new Worker({ workerId: "rerank-test", queue: new DbJobQueue(db), handlers: jobHandlers });
  const startSweep = (json: unknown, token = analyst, id = baseRunId) => call(sweeps.POST, { method: "POST", params: { id }, json, token });
  const curves = (token = analyst, id = baseRunId) => call(sweeps.GET, { params: { id }, token });

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ({ db, analyst, viewer, otherTeam } = await useTeamDatabase(database.handle));
    const dataset = await createSyntheticDataset(db, { name: "rerank synthetic", options: { numUsers: 120, numItems: 150, interactionsPerUser: 25, seed: 3 } });
    const launched = await call(runs.POST, { method: "POST", json: { datasetId: dataset.id, config: { modelId: "ease", params: { lambda: 50, lambdaSearch: "off" }, seed: 7 } } });
    expect(launched.status).toBe(201);
    baseRunId = launched.body.id;
    expect(await worker().runOnce()).toBe(true);
    expect((await call(run.GET, { params: { id: baseRunId } })).body.run.status).toBe("SUCCEEDED");
  }, 120_000);
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  it("a finished run can be re-ranked; one finished before candidates were kept says to re-run it", async () => {
    const view = await curves();
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ blocker: null, curves: [], variants: [], active: [] });
    expect(view.body.rerankers.map((r: { id: string }) => r.id)).toEqual(["mmr", "calibrated", "xquad", "popularity-penalty", "exposure-constraint"]);
    const base = await db.run.findUniqueOrThrow({ where: { id: baseRunId } });
    const old = await db.run.create({ data: { name: "old run", datasetId: base.datasetId, modelId: "ease", config: base.config, metrics: base.metrics, status: "SUCCEEDED" } });
    expect((await curves(analyst, old.id)).body.blocker).toContain("re-run it to enable re-ranking");
    const refused = await startSweep({ rerankerId: "mmr" }, analyst, old.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("re-run it to enable re-ranking");
  });

  it("refuses λ outside [0, 1] and unknown re-rankers with 400, queuing nothing", async () => {
    const before = await db.job.count();
    const response = await startSweep({ rerankerId: "mmr", lambdas: [0, 0.5, 1.5] });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe("MMR, λ = 1.5: lambda: λ must be a number between 0 and 1");
    const variant = await call(variants.POST, { method: "POST", params: { id: baseRunId }, json: { rerankerId: "calibrated", lambda: -0.1 } });
    expect(variant.status).toBe(400);
    expect((await startSweep({ rerankerId: "nope" })).status).toBe(400);
    expect(await db.job.count()).toBe(before);
  });

  it("viewers read curves but cannot start a sweep or save a variant; another team gets 404", async () => {
    expect((await curves(viewer)).status).toBe(200);
    expect((await startSweep({ rerankerId: "mmr" }, viewer)).status).toBe(403);
    expect((await call(variants.POST, { method: "POST", params: { id: baseRunId }, json: { rerankerId: "mmr", lambda: 0.3 }, token: viewer })).status).toBe(403);
    expect((await curves(otherTeam)).status).toBe(404);
    expect((await startSweep({ rerankerId: "mmr" }, otherTeam)).status).toBe(404);
    expect((await call(variants.POST, { method: "POST", params: { id: baseRunId }, json: { rerankerId: "mmr", lambda: 0.3 }, token: otherTeam })).status).toBe(404);
  });

  it("a worker sweeps λ with progress and stores the curve with the run; a queued sweep can be cancelled", async () => {
    const response = await startSweep({ rerankerId: "mmr", lambdas: [0, 0.3, 0.9] });
    expect(response.status).toBe(202);
    const { jobId } = response.body;
    expect((await call(job.GET, { params: { id: jobId } })).body.job).toMatchObject({ name: "rerank-sweep", status: "QUEUED" });
    expect((await curves(viewer)).body.active).toEqual([{ jobId, rerankerId: "mmr" }]);
    expect((await call(job.GET, { params: { id: jobId }, token: otherTeam })).status).toBe(404);
    expect(await worker().runOnce()).toBe(true);
    const done = (await call(job.GET, { params: { id: jobId } })).body.job;
    expect(done).toMatchObject({ status: "SUCCEEDED", progress: 1, error: null, result: { runId: baseRunId, rerankerId: "mmr", points: 3 } });

    const view = (await curves(viewer)).body;
    expect(view.active).toEqual([]);
    expect(view.curves).toHaveLength(1);
    const [curve] = view.curves;
    expect(curve).toMatchObject({ rerankerId: "mmr", displayName: "MMR", x: "ild@10", y: "ndcg@10", k: 10, jobId });
    expect(curve.points.map((p: { lambda: number }) => p.lambda)).toEqual([0, 0.3, 0.9]);
    const baseMetrics = (await call(run.GET, { params: { id: baseRunId } })).body.run.metrics;
    expect(curve.points[0].metrics["ndcg@10"]).toBeCloseTo(baseMetrics["ndcg@10"], 6);
    expect(curve.points[2].metrics["ild@10"]).toBeGreaterThan(curve.points[0].metrics["ild@10"]);
    expect(view.higherIsBetter).toMatchObject({ "ild@10": true, "ndcg@10": true });

    const queued = await startSweep({ rerankerId: "popularity-penalty" });
    expect((await call(cancelJob.POST, { method: "POST", params: { id: queued.body.jobId } })).status).toBe(200);
    expect(await worker().runOnce()).toBe(false);
    expect((await call(job.GET, { params: { id: queued.body.jobId } })).body.job.status).toBe("CANCELLED");
  }, 60_000);

  it("a saved point is a variant run in the runs list, compared with its base by paired tests", async () => {
    const saved = await call(variants.POST, { method: "POST", params: { id: baseRunId }, json: { rerankerId: "mmr", lambda: 0.3 } });
    expect(saved.status).toBe(201);
    const variantId: string = saved.body.runId;
    const detail = (await call(run.GET, { params: { id: variantId } })).body.run;
    expect(detail).toMatchObject({ name: "EASE + MMR λ=0.3", status: "SUCCEEDED", modelId: "ease", variantOf: { runId: baseRunId, rerankerId: "mmr", lambda: 0.3 } });
    expect(detail.config.rerank).toMatchObject({ baseRunId, rerankerId: "mmr", lambda: 0.3 });
    const base = (await call(run.GET, { params: { id: baseRunId } })).body.run;
    expect(detail.config.split).toEqual(base.config.split);
    expect(detail.config.seed).toBe(base.config.seed);

    const listed = (await call(runs.GET, { token: viewer, url: "http://localhost/api/runs?scope=team" })).body.items;
    expect(listed.find((r: { id: string }) => r.id === variantId)).toMatchObject({ baseRunId });
    expect((await curves()).body.variants).toEqual([{ id: variantId, name: "EASE + MMR λ=0.3", rerankerId: "mmr", lambda: 0.3 }]);
    // A variant is not re-ranked again.
    expect((await startSweep({ rerankerId: "mmr" }, analyst, variantId)).status).toBe(409);

    const compared = await call(compare.GET, { url: `http://localhost/api/compare?runs=${baseRunId},${variantId}&metric=ndcg@10` });
    expect(compared.status).toBe(200);
    const [pair] = compared.body.comparison.comparison.pairs;
    expect(pair).toMatchObject({ a: baseRunId, b: variantId, paired: true });
    expect(pair.n).toBe(base.result.evaluation.users);
    expect(pair.wilcoxonP).toBeGreaterThanOrEqual(0);
    expect(pair.wilcoxonP).toBeLessThanOrEqual(1);
    expect(pair.sentence).toEqual(expect.any(String));

    // The variant keeps its re-ranked lists, so its bias report shows exposure like any run's.
    const biasOf = (id: string) => call(bias.GET, { url: `http://localhost/api/runs/${id}/bias`, params: { id } });
    const [baseBias, variantBias] = [await biasOf(baseRunId), await biasOf(variantId)];
    expect(variantBias.status).toBe(200);
    expect(variantBias.body.report.exposure.k).toBeGreaterThan(0);
    expect(variantBias.body.report.exposure.k).toBe(baseBias.body.report.exposure.k);
  });
});
