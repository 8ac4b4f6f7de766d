import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as compare from "@/app/api/compare/route";
import * as experiments from "@/app/api/experiments/route";
import * as experiment from "@/app/api/experiments/[id]/route";
import * as cancel from "@/app/api/experiments/[id]/cancel/route";
import * as openapi from "@/app/api/openapi.json/route";
import * as runsRoute from "@/app/api/runs/route";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { jobHandlers } from "@/workers/handlers";
import { Worker } from "@/workers/worker";
import { call, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

const TINY_BPR = { modelId: "bpr", params: { epochs: 3, factors: 4 }, ks: [10] };

describe.each(PROVIDERS)("experiments API on %s", (provider) => {
  let database: TestDatabase;
  let datasetId: string;
  let worker: Worker;
  const drain = async () => {
    while (await worker.runOnce());
  };
  const launch = (json: unknown) => call(experiments.POST, { method: "POST", json });
  const get = async (id: string) => (await call(experiment.GET, { params: { id } })).body.experiment;

  beforeAll(async () => {
    process.env.RECLAB_SINGLE_USER = "1";
    database = await createTestDatabase(provider);
    useDatabase(database.handle);
    ({ id: datasetId } = await createSyntheticDataset(database.handle.db, { name: "experiments", options: { numUsers: 120, numItems: 80, seed: 5 } }));
    worker = new Worker({ workerId: "test-worker", queue: new DbJobQueue(database.handle.db), handlers: jobHandlers });
  });
  afterAll(async () => {
    delete process.env.RECLAB_SINGLE_USER;
    await database?.drop();
  });

  it("a grid search selects on validation and evaluates the selected configuration on test once", async () => {
    const created = await launch({ datasetId, base: TINY_BPR, spec: { kind: "grid", space: { factors: { type: "values", values: [2, 8] }, learningRate: { type: "values", values: [0.05, 0.2] } } } });
    expect(created.status).toBe(201);
    expect(created.body.runs).toBe(4);
    expect((await get(created.body.id)).status).toBe("QUEUED");
    await drain();

    const done = await get(created.body.id);
    expect(done).toMatchObject({ status: "SUCCEEDED", kind: "grid", totalRuns: 4, doneRuns: 4, selectionMetric: "ndcg@10", progressText: "done" });
    expect(done.runs).toHaveLength(4);
    for (const trial of done.runs) {
      expect(trial).toMatchObject({ role: "trial", status: "SUCCEEDED", test: null });
      expect(trial.validation["ndcg@10"]).toBeGreaterThanOrEqual(0);
    }
    const best = done.runs.reduce((a: any, b: any) => (b.validation["ndcg@10"] > a.validation["ndcg@10"] ? b : a));
    expect(done.result).toMatchObject({ kind: "search", bestTrialRunId: best.id, bestValidation: best.validation["ndcg@10"], finalRunId: done.finalRun.id });
    expect(done.best).toMatchObject({ runId: best.id, split: "validation" });
    expect(done.finalRun).toMatchObject({ role: "final", status: "SUCCEEDED", params: best.params });
    expect(done.finalRun.test["ndcg@10"]).toBeGreaterThan(0);
    // Retrained on train with the same seed: the same model as the trial, so the same validation.
    expect(done.finalRun.validation["ndcg@10"]).toBe(best.validation["ndcg@10"]);
    expect(done.varying.sort()).toEqual(["factors", "learningRate"]);
    const finals = await database.handle.db.run.count({ where: { experimentId: created.body.id, role: "final" } });
    expect(finals).toBe(1);
    const finalizeJobs = await database.handle.db.job.findMany({ where: { name: "finalize-experiment" } });
    expect(finalizeJobs.filter((j) => j.status === "SUCCEEDED" && j.payload.includes(created.body.id))).toHaveLength(1);

    // Trials have no test numbers: comparing them falls back to validation, labelled so.
    const trials = await call(compare.GET, { url: `http://localhost/api/compare?runs=${done.runs[0].id},${done.runs[1].id}` });
    expect(trials.status).toBe(200);
    expect(trials.body.comparison.split).toBe("validation");
    expect(trials.body.comparison.comparison.pairs).toHaveLength(1);
  });

  it("a grid × 2 folds × 2 seeds is one experiment: selection on the mean, the winner evaluated on every test fold", async () => {
    const created = await launch({ datasetId, base: { modelId: "item-knn", ks: [10] }, spec: { kind: "grid", space: { neighbours: { type: "values", values: [3, 30] } }, folds: 2, seeds: [1, 2] } });
    expect(created.status).toBe(201);
    expect(created.body.runs).toBe(8);
    await drain();
    const done = await get(created.body.id);
    expect(done.status).toBe("SUCCEEDED");
    const trials = done.runs as { trialIndex: number; params: { neighbours: number }; validation: Record<string, number> }[];
    const meanOf = (k: number) => trials.filter((t) => t.params.neighbours === k).reduce((a, t) => a + t.validation["ndcg@10"], 0) / 4;
    const winner = meanOf(30) > meanOf(3) ? 30 : 3;
    expect(done.result.bestValidation).toBeCloseTo(Math.max(meanOf(3), meanOf(30)), 12);
    expect(done.result.finalRunIds).toHaveLength(2);
    const finals = await database.handle.db.run.findMany({ where: { experimentId: created.body.id, role: "final" }, orderBy: { createdAt: "asc" } });
    expect(finals.map((f) => JSON.parse(f.config).split)).toMatchObject([{ kind: "k-fold", fold: 0 }, { kind: "k-fold", fold: 1 }]);
    expect(finals.every((f) => JSON.parse(f.config).params.neighbours === winner)).toBe(true);
    const perFold = finals.map((f) => JSON.parse(f.metrics!).test["ndcg@10"]);
    expect(done.result.foldMetrics["ndcg@10"].folds).toEqual(perFold);
    expect(done.result.foldMetrics["ndcg@10"].mean).toBeCloseTo((perFold[0] + perFold[1]) / 2, 12);
  });

  it("refuses bad experiment specs with the field named", async () => {
    const cases: [unknown, number, string][] = [
      [{ datasetId, base: TINY_BPR, spec: { kind: "grid", space: { colour: { type: "values", values: ["red"] } } } }, 400, "Colour: not a hyperparameter of this model"],
      [{ datasetId, base: TINY_BPR, spec: { kind: "grid", space: { factors: { type: "uniform", min: 2, max: 8 } } } }, 400, "Factors: a grid needs a list of values"],
      [{ datasetId, base: TINY_BPR, spec: { kind: "grid", space: { factors: { type: "values", values: [0] } } } }, 400, "Factors, value 1: number must be greater than or equal to 1"],
      [{ datasetId, base: TINY_BPR, spec: { kind: "random", trials: 3, space: { learningRate: { type: "log-uniform", min: 0.5, max: 0.1 } } } }, 400, "min 0.5 is above max 0.1"],
      [{ datasetId, base: TINY_BPR, spec: { kind: "random", trials: 501, space: { factors: { type: "values", values: [2] } } } }, 400, "Trials: "],
      [{ datasetId, base: TINY_BPR, spec: { kind: "grid", space: {} } }, 400, "name at least one hyperparameter"],
      [{ datasetId, base: TINY_BPR, selectionMetric: "accuracy@10", spec: { kind: "cv" } }, 400, "Selection metric: "],
      [{ datasetId, base: TINY_BPR, spec: { kind: "ablation", variants: [{ name: "base", params: {} }] } }, 400, "used twice"],
      [{ datasetId, base: { modelId: "nope" }, spec: { kind: "cv" } }, 404, "unknown model"],
      [{ datasetId: "missing", base: TINY_BPR, spec: { kind: "cv" } }, 404, "dataset missing does not exist"],
      [{ datasetId, base: TINY_BPR, spec: { kind: "sweep" } }, 400, "Kind: "],
    ];
    const before = await database.handle.db.experiment.count();
    for (const [json, status, message] of cases) {
      const response = await launch(json);
      expect(response.status, message).toBe(status);
      expect(response.body.error.message, message).toContain(message);
    }
    expect((await launch("{nope")).status).toBe(400);
    expect(await database.handle.db.experiment.count()).toBe(before);
  });

  it("k-fold cross-validation reports mean ± std of every metric with the per-fold values", async () => {
    const created = await launch({ datasetId, base: { modelId: "pop", ks: [10] }, spec: { kind: "cv", folds: 3, seed: 1 } });
    expect(created.status).toBe(201);
    await drain();
    const done = await get(created.body.id);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.runs.map((r: any) => r.role)).toEqual(["fold", "fold", "fold"]);
    const perFold = done.runs.map((r: any) => r.test["ndcg@10"]);
    const aggregate = done.result.metrics["ndcg@10"];
    expect(aggregate.folds).toEqual(perFold);
    expect(aggregate.mean).toBeCloseTo(perFold.reduce((a: number, b: number) => a + b, 0) / 3, 12);
    expect(aggregate.std).toBeGreaterThan(0);
    // The header's number is the mean over folds (± sample sd), not the best fold.
    expect(done.foldMean).toEqual({ value: expect.closeTo(aggregate.mean, 12), sd: expect.closeTo(aggregate.std, 12), folds: 3 });
    expect(done.best.value).toBe(Math.max(...perFold));
    // The folds' test parts are disjoint: different numbers per fold.
    expect(new Set(perFold).size).toBe(3);
  });

  it("an ablation study reports each variant's delta against the base with a confidence interval", async () => {
    const created = await launch({
      datasetId,
      base: { modelId: "bpr", params: { epochs: 3, factors: 8 }, ks: [10] },
      spec: { kind: "ablation", variants: [{ name: "no item bias", params: { itemBias: false } }, { name: "2 factors", params: { factors: 2 } }], seeds: [1, 2] },
    });
    expect(created.body.runs).toBe(6);
    await drain();
    const done = await get(created.body.id);
    expect(done.status).toBe("SUCCEEDED");
    const [base, noBias, small] = done.result.variants;
    expect([base.name, noBias.name, small.name]).toEqual(["base", "no item bias", "2 factors"]);
    expect(base.runIds).toHaveLength(2);
    for (const variant of [noBias, small]) {
      const d = variant.deltas["ndcg@10"];
      expect(d.delta).toBeCloseTo(variant.metrics["ndcg@10"] - base.metrics["ndcg@10"], 6);
      expect(d.low).toBeLessThanOrEqual(d.delta + 1e-9);
      expect(d.high).toBeGreaterThanOrEqual(d.delta - 1e-9);
      expect(d.p).toBeGreaterThanOrEqual(0);
      expect(d.p).toBeLessThanOrEqual(1);
    }

    const pair = await call(compare.GET, { url: `http://localhost/api/compare?runs=${base.runIds[0]},${small.runIds[0]}` });
    expect(pair.status).toBe(200);
    const view = pair.body.comparison;
    expect(view.split).toBe("test");
    expect(view.comparison.intervals).toHaveLength(2);
    for (const ci of view.comparison.intervals) expect(ci.low).toBeLessThanOrEqual(ci.high);
    expect(view.comparison.pairs[0].sentence).toMatch(/(beats .* on NDCG@10 by \d\.\d{3}|No significant difference between .* on NDCG@10)/);
    expect(view.curves).toHaveLength(2);
    expect(view.comparison.columns.find((c: any) => c.key === "ndcg@10").best).toHaveLength(1);
  });

  it("GET /api/compare pairs runs only on the same split: across splits it gives the reason and no p-values", async () => {
    const launchRun = async (name: string, config: Record<string, unknown>) => {
      const created = await call(runsRoute.POST, { method: "POST", json: { datasetId, name, config: { ks: [10], ...config } } });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const popRandom = await launchRun("Pop random", { modelId: "pop" });
    const bprLoo = await launchRun("BPR-MF LOO", { ...TINY_BPR, split: { kind: "leave-one-out" } });
    const bprRandom = await launchRun("BPR-MF random", TINY_BPR);
    await drain();
    const response = await call(compare.GET, { url: `http://localhost/api/compare?runs=${popRandom},${bprLoo},${bprRandom}` });
    expect(response.status).toBe(200);
    const pairs = response.body.comparison.comparison.pairs;
    const pairOf = (a: string, b: string) => pairs.find((p: any) => p.a === a && p.b === b);
    const across = pairOf(popRandom, bprLoo);
    expect(across.paired).toBe(false);
    expect(across.reason).toBe("Pop random was evaluated on a random 8:1:1 split, BPR-MF LOO on a leave-one-out split: their test sets differ, so no paired test is shown");
    expect(across).not.toHaveProperty("tTestP");
    expect(across).not.toHaveProperty("wilcoxonP");
    expect(pairOf(bprLoo, bprRandom).paired).toBe(false);
    const same = pairOf(popRandom, bprRandom);
    expect(same.paired).toBe(true);
    expect(same.tTestP).toBeGreaterThanOrEqual(0);
    expect(same.wilcoxonPHolm).toBeLessThanOrEqual(1);
    // Unpaired figures stay: a bootstrap interval per run.
    expect(response.body.comparison.comparison.intervals).toHaveLength(3);
  });

  it("GET /api/compare refuses bad selections", async () => {
    const runs = await database.handle.db.run.findMany({ where: { status: "SUCCEEDED" }, take: 2 });
    const cases: [string, number, string][] = [
      [`runs=${runs[0].id}`, 400, "at least two runs"],
      [`runs=${runs[0].id},missing`, 404, "run missing does not exist"],
      [`runs=${runs[0].id},${runs[1].id}&metric=accuracy`, 400, "metric"],
      [`runs=${runs[0].id},${runs[1].id}&split=train`, 400, "split"],
      ["", 400, "runs"],
    ];
    for (const [query, status, message] of cases) {
      const response = await call(compare.GET, { url: `http://localhost/api/compare?${query}` });
      expect(response.status, query).toBe(status);
      expect(response.body.error.message, query).toContain(message);
    }
  });

  it("cancelling an experiment cancels its queued runs and no finalize job runs", async () => {
    const created = await launch({ datasetId, base: TINY_BPR, spec: { kind: "random", trials: 3, seed: 4, space: { learningRate: { type: "log-uniform", min: 0.01, max: 0.3 } } } });
    expect(created.status).toBe(201);
    const cancelled = await call(cancel.POST, { method: "POST", params: { id: created.body.id } });
    expect(cancelled).toMatchObject({ status: 200, body: { status: "CANCELLED", cancelledRuns: 3, stoppingRuns: 0 } });
    await drain();
    const after = await get(created.body.id);
    expect(after.status).toBe("CANCELLED");
    expect(after.runs.every((r: any) => r.status === "CANCELLED")).toBe(true);
    expect(after.finalRun).toBeNull();
    expect((await call(cancel.POST, { method: "POST", params: { id: created.body.id } })).status).toBe(409);
    expect((await call(cancel.POST, { method: "POST", params: { id: "missing" } })).status).toBe(404);
  });

  it("GET /api/experiments lists experiments; GET /api/experiments/:id 404s for unknown ids", async () => {
    const list = await call(experiments.GET);
    expect(list.status).toBe(200);
    expect(list.body.experiments.map((e: any) => e.kind).sort()).toEqual(["ablation", "cv", "grid", "grid", "random"]);
    const filtered = await call(experiments.GET, { url: `http://localhost/api/experiments?datasetId=other` });
    expect(filtered.body.experiments).toEqual([]);
    expect((await call(experiment.GET, { params: { id: "missing" } })).status).toBe(404);
  });

  it("GET /api/openapi.json documents every route handler under app/api, and nothing else", async () => {
    const response = await call(openapi.GET);
    expect(response.status).toBe(200);
    const doc = response.body;
    expect(doc.openapi).toBe("3.1.0");
    const routes: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name === "route.ts") {
          const apiPath = "/" + path.relative("app", path.dirname(full)).split(path.sep).join("/").replace(/\[(\w+)\]/g, "{$1}");
          for (const m of fs.readFileSync(full, "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) routes.push(`${m[1].toLowerCase()} ${apiPath}`);
        }
      }
    };
    walk("app/api");
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(documented.sort()).toEqual(routes.sort());
    const launchBody = doc.paths["/api/experiments"].post.requestBody.content["application/json"].schema;
    expect(launchBody.properties.spec.oneOf.map((o: any) => o.properties.kind.const)).toEqual(["grid", "random", "cv", "ablation"]);
    expect(launchBody.required).toEqual(expect.arrayContaining(["datasetId", "base", "spec"]));
  });
});
