import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as health from "@/app/api/health/route";
import * as datasets from "@/app/api/datasets/route";
import * as dataset from "@/app/api/datasets/[id]/route";
import * as synthetic from "@/app/api/datasets/synthetic/route";
import * as job from "@/app/api/jobs/[id]/route";
import * as models from "@/app/api/models/route";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import * as runHistory from "@/app/api/runs/[id]/history/route";
import * as cancel from "@/app/api/runs/[id]/cancel/route";
import * as timings from "@/app/api/runs/timings/route";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { jobHandlers } from "@/workers/handlers";
import { Worker } from "@/workers/worker";
import { call, setDefaultToken, tokenFor, uploadForm, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

const U_DATA = ["1\t10\t5\t881250949", "1\t20\t3\t881250950", "2\t10\t4\t881250951", "2\t30\t1\t881250952", "3\t20\t2\t881250953"].join("\n") + "\n";

describe.each(PROVIDERS)("REST API on %s", (provider) => {
  let database: TestDatabase;
  let syntheticId: string;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    useDatabase(database.handle);
    setDefaultToken(await tokenFor(database.handle.db, "admin"));
  });
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  it("GET /api/health reports the database", async () => {
    expect(await call(health.GET, { token: null })).toMatchObject({ status: 200, body: { ok: true, database: provider } });
  });

  describe("datasets", () => {
    it("POST /api/datasets/synthetic queues a generation that a worker turns into a dataset; bad options are refused", async () => {
      const queued = await call(synthetic.POST, { method: "POST", json: { name: "Synthetic", options: { numUsers: 120, numItems: 80, seed: 3 } } });
      expect(queued).toMatchObject({ status: 202, body: { status: "QUEUED" } });
      const worker = new Worker({ workerId: "test-worker", queue: new DbJobQueue(database.handle.db), handlers: jobHandlers });
      expect(await worker.runOnce()).toBe(true);
      const done = (await call(job.GET, { params: { id: queued.body.jobId } })).body.job;
      expect(done).toMatchObject({ status: "SUCCEEDED", progress: 1 });
      syntheticId = done.result.datasetId;
      expect((await call(dataset.GET, { params: { id: syntheticId } })).body.dataset).toMatchObject({ name: "Synthetic", numUsers: 120, numItems: 80 });
      const bad = await call(synthetic.POST, { method: "POST", json: { name: "", options: { numUsers: -5 } } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("BAD_INPUT");
      expect(bad.body.error.message).toMatch(/name|numUsers/);
      expect((await call(synthetic.POST, { method: "POST", json: "{not json" })).body.error.message).toBe("the request body is not valid JSON");
    });

    it("POST /api/datasets imports a MovieLens 100K upload with statistics", async () => {
      const form = uploadForm({ name: "Tiny ML", format: "movielens-100k" }, { ratings: { name: "u.data", content: U_DATA } });
      const created = await call(datasets.POST, { method: "POST", body: form });
      expect(created.status).toBe(201);
      expect(created.body.cleaning[0]).toBe("0 duplicate (user, item) rows merged — kept the latest by timestamp (ties: the later row in the file).");
      const detail = await call(dataset.GET, { params: { id: created.body.id } });
      expect(detail.status).toBe(200);
      expect(detail.body.dataset).toMatchObject({ name: "Tiny ML", source: "movielens-100k", feedback: "explicit", numUsers: 3, numItems: 3, numInteractions: 5 });
      expect(detail.body.dataset.cleaning).toEqual(created.body.cleaning);
      expect(detail.body.dataset.stats.ratingHistogram).toEqual([
        { rating: 1, count: 1 }, { rating: 2, count: 1 }, { rating: 3, count: 1 }, { rating: 4, count: 1 }, { rating: 5, count: 1 },
      ]);
    });

    it("POST /api/datasets refuses malformed files with line and field, leaving the list unchanged", async () => {
      const before = (await call(datasets.GET)).body.datasets.length;
      const cases: [FormData, number, string][] = [
        [uploadForm({ name: "Bad", format: "movielens-100k" }, { ratings: { name: "u.data", content: "1\t10\t5\t1\n2\t20\tabc\t2\n" } }), 400, "line 2: rating 'abc' is not a number"],
        [uploadForm({ name: "Bad", format: "movielens-100k" }, { ratings: { name: "u.data", content: "" } }), 400, "the file is empty"],
        [uploadForm({ name: "Bad", format: "movielens-100k" }, { ratings: { name: "u.data", content: "1,10,5,1\n" } }), 400, "line 1: expected 4 fields separated by tab, found 1"],
        [uploadForm({ name: "Bad", format: "movielens-100k" }, { ratings: { name: "u.data", content: new Uint8Array([0, 1, 2, 0, 0, 255, 0, 7]) } }), 400, "the file is not text (it looks binary)"],
        [uploadForm({ name: "Bad", format: "nope" }, { ratings: { name: "u.data", content: U_DATA } }), 400, "format"],
        [uploadForm({ name: "Bad", format: "movielens-100k" }, {}), 400, "attach the interactions file as field 'ratings'"],
        [uploadForm({ name: "Bad", format: "movielens-100k", options: "{oops" }, { ratings: { name: "u.data", content: U_DATA } }), 400, "options must be a JSON object"],
      ];
      for (const [form, status, message] of cases) {
        const response = await call(datasets.POST, { method: "POST", body: form });
        expect(response.status, message).toBe(status);
        expect(response.body.error.message).toContain(message);
      }
      const notMultipart = await call(datasets.POST, { method: "POST", json: { name: "x" } });
      expect(notMultipart).toMatchObject({ status: 400, body: { error: { message: "send the upload as multipart/form-data" } } });
      expect((await call(datasets.GET)).body.datasets.length).toBe(before);
    });

    it("POST /api/datasets enforces the upload size limit", async () => {
      process.env.RECLAB_UPLOAD_LIMIT_MB = "0.001"; // 1048 bytes
      try {
        const form = uploadForm({ name: "Big", format: "movielens-100k" }, { ratings: { name: "u.data", content: U_DATA.repeat(20) } });
        const response = await call(datasets.POST, { method: "POST", body: form });
        expect(response.status).toBe(413);
        expect(response.body.error.message).toBe("file 'u.data' is larger than the 0.001 MB upload limit");
        expect((await call(datasets.GET)).body.datasets.map((d: { name: string }) => d.name)).not.toContain("Big");
      } finally {
        delete process.env.RECLAB_UPLOAD_LIMIT_MB;
      }
    });

    it("GET /api/datasets pages newest first with a cursor, the same datasets as one long page; bad paging is 400 naming it", async () => {
      const all = (await call(datasets.GET, { url: "http://localhost/api/datasets?limit=200" })).body;
      expect(all.nextCursor).toBeNull();
      expect(all.datasets.length).toBeGreaterThanOrEqual(2);
      const times = all.datasets.map((d: { createdAt: string }) => d.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      // One dataset per page: the cursor walks the same list in the same order, then ends.
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { datasets: { id: string }[]; nextCursor: string | null } } = await call(datasets.GET, { url: `http://localhost/api/datasets?limit=1${cursor ? `&cursor=${cursor}` : ""}` });
        expect(page.status).toBe(200);
        expect(page.body.datasets.length).toBe(1);
        walked.push(page.body.datasets[0].id);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(walked).toEqual(all.datasets.map((d: { id: string }) => d.id));
      for (const [query, message] of [
        ["?limit=0", "limit: "],
        ["?limit=201", "limit: "],
        ["?limit=ten", "limit: "],
        ["?cursor=bm9wZQ", "cursor: not a cursor this API returned"],
      ]) {
        const bad = await call(datasets.GET, { url: `http://localhost/api/datasets${query}` });
        expect(bad.status, query).toBe(400);
        expect(bad.body.error.message, query).toContain(message);
      }
    });

    it("GET /api/datasets/:id answers 404 for an unknown id", async () => {
      expect(await call(dataset.GET, { params: { id: "missing" } })).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND", message: "dataset missing does not exist" } } });
    });
  });

  it("GET /api/models lists the registry with hyperparameters", async () => {
    const { status, body } = await call(models.GET);
    expect(status).toBe(200);
    const ids = body.models.map((m: { id: string }) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["pop", "item-knn", "mf", "bpr"]));
    const bpr = body.models.find((m: { id: string }) => m.id === "bpr");
    expect(bpr.params.length).toBeGreaterThan(2);
    expect(bpr.params.every((p: { default?: unknown }) => p.default !== undefined)).toBe(true);
  });

  describe("runs", () => {
    let runId: string;

    it("POST /api/runs validates and queues a run with its resolved config", async () => {
      const created = await call(runs.POST, { method: "POST", json: { datasetId: syntheticId, config: { modelId: "bpr", params: { epochs: 5 } } } });
      expect(created.status).toBe(201);
      runId = created.body.id;
      const detail = (await call(run.GET, { params: { id: runId } })).body.run;
      expect(detail).toMatchObject({ status: "QUEUED", modelId: "bpr", modelName: "BPR-MF" });
      expect(detail.config).toMatchObject({ modelId: "bpr", split: { kind: "random", seed: 42 }, seed: 42 });
      expect((detail.config.params as Record<string, unknown>).epochs).toBe(5);
      expect(detail.job).toMatchObject({ status: "QUEUED", attempts: 0 });
    });

    it("POST /api/runs refuses bad input with the field at fault", async () => {
      const unknownModel = await call(runs.POST, { method: "POST", json: { datasetId: syntheticId, config: { modelId: "nope" } } });
      expect(unknownModel.status).toBeGreaterThanOrEqual(400);
      expect(unknownModel.body.error.message).toContain("nope");
      const badParam = await call(runs.POST, { method: "POST", json: { datasetId: syntheticId, config: { modelId: "bpr", params: { factors: -3 } } } });
      expect(badParam.status).toBe(400);
      // In the words of the form's label; the path stays in details for programs.
      expect(badParam.body.error.message).toBe("Factors: number must be greater than or equal to 1");
      expect(badParam.body.error.details.field).toBe("params.factors");
      const badRatios = await call(runs.POST, { method: "POST", json: { datasetId: syntheticId, config: { modelId: "pop", split: { kind: "random", ratios: [0.5, 0.1, 0.1] } } } });
      expect(badRatios.body.error.message).toBe("Split ratios: train, validation and test ratios must add up to 1");
      const noConfig = await call(runs.POST, { method: "POST", json: { datasetId: syntheticId } });
      expect(noConfig.body.error).toMatchObject({ message: "Run configuration is required", details: { field: "config" } });
      const noDataset = await call(runs.POST, { method: "POST", json: { datasetId: "missing", config: { modelId: "pop" } } });
      expect(noDataset.status).toBe(404);
      const noBody = await call(runs.POST, { method: "POST", json: {} });
      expect(noBody.status).toBe(400);
    });

    it("POST /api/runs refuses a temporal split on a dataset without timestamps", async () => {
      const options = JSON.stringify({ csv: { delimiter: ",", hasHeader: false, columns: { user: "0", item: "1" } } });
      const form = uploadForm({ name: "No time", format: "csv", options }, { ratings: { name: "a.csv", content: "1,1\n1,2\n2,1\n2,3\n" } });
      const created = await call(datasets.POST, { method: "POST", body: form });
      expect(created.status).toBe(201);
      const temporal = await call(runs.POST, { method: "POST", json: { datasetId: created.body.id, config: { modelId: "pop", split: { kind: "temporal" } } } });
      expect(temporal.status).toBe(400);
      expect(temporal.body.error.message).toBe("a temporal split needs timestamps, and this dataset has none: choose a random, k-fold or cold-start split");
    });

    it("a worker trains the queued run; the API shows metrics and the learning curve", async () => {
      const worker = new Worker({ workerId: "test-worker", queue: new DbJobQueue(database.handle.db), handlers: jobHandlers });
      expect(await worker.runOnce()).toBe(true);
      const detail = (await call(run.GET, { params: { id: runId } })).body.run;
      expect(detail.status).toBe("SUCCEEDED");
      expect(detail.progress).toBe(1);
      expect(detail.backend).toBe("js");
      expect(detail.metrics["ndcg@10"]).toBeGreaterThan(0);
      expect(Object.keys(detail.metrics)).toEqual(expect.arrayContaining(["precision@5", "recall@10", "map@20", "mrr@10", "hit@10", "f1@10", "coverage@10"]));
      expect(detail.result.fit.epochsRun).toBeGreaterThan(0);
      const history = (await call(runHistory.GET, { url: "http://localhost/api/runs/x/history", params: { id: runId } })).body.history;
      expect(history["validation/ndcg@10"].length).toBe(detail.result.fit.epochsRun);
      expect(history["validation/ndcg@10"][0].step).toBe(1);
      const listed = (await call(runs.GET, { url: `http://localhost/api/runs?datasetId=${syntheticId}` })).body.items;
      expect(listed.map((r: { id: string }) => r.id)).toContain(runId);
      const stored = await database.handle.db.runArtifact.findUnique({ where: { runId_kind: { runId, kind: "per-user-metrics" } } });
      expect(stored?.data.length).toBeGreaterThan(100);
    });

    it("GET /api/runs/timings gives earlier runs' seconds per epoch for the launch form's estimate", async () => {
      const found = await call(timings.GET, { url: `http://localhost/api/runs/timings?datasetId=${syntheticId}&modelId=bpr` });
      expect(found.status).toBe(200);
      const detail = (await call(run.GET, { params: { id: runId } })).body.run;
      // The BPR run trained above: 5 epochs (or fewer with early stopping) in fit.seconds.
      expect(found.body.past).toHaveLength(1);
      expect(found.body.past[0].secondsPerEpoch).toBeCloseTo(detail.result.fit.seconds / detail.result.fit.epochsRun, 9);
      expect(found.body.past[0].estimatedSecondsPerEpoch).toBeGreaterThan(0);
      const none = await call(timings.GET, { url: `http://localhost/api/runs/timings?datasetId=${syntheticId}&modelId=ease` });
      expect(none.body.past).toEqual([]);
      const bad = await call(timings.GET, { url: `http://localhost/api/runs/timings?datasetId=${syntheticId}` });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("modelId");
      expect((await call(timings.GET, { url: "http://localhost/api/runs/timings?datasetId=missing&modelId=bpr" })).status).toBe(404);
    });

    it("POST /api/runs/:id/cancel cancels a queued run once; history of unknown runs is 404", async () => {
      const created = await call(runs.POST, { method: "POST", json: { datasetId: syntheticId, config: { modelId: "pop" } } });
      const bad = await call(cancel.POST, { method: "POST", params: { id: created.body.id }, json: { evaluateBest: "yes" } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("evaluateBest");
      const first = await call(cancel.POST, { method: "POST", params: { id: created.body.id }, json: { evaluateBest: true } });
      expect(first).toMatchObject({ status: 200, body: { status: "CANCELLED" } });
      expect((await call(run.GET, { params: { id: created.body.id } })).body.run.status).toBe("CANCELLED");
      const again = await call(cancel.POST, { method: "POST", params: { id: created.body.id } });
      expect(again.status).toBe(409);
      expect((await call(runHistory.GET, { url: "http://localhost/api/runs/x/history", params: { id: "missing" } })).status).toBe(404);
      expect((await call(runHistory.GET, { url: "http://localhost/api/runs/x/history?maxPoints=1", params: { id: runId } })).status).toBe(400);
    });

    it("DELETE /api/datasets/:id removes the dataset and everything derived from it", async () => {
      const response = await call(dataset.DELETE, { method: "DELETE", params: { id: syntheticId } });
      expect(response).toMatchObject({ status: 200, body: { deletedRuns: 2, deletedBlobs: expect.any(Number) } });
      expect(response.body.deletedMetricPoints).toBeGreaterThan(0);
      expect(response.body.deletedArtifacts).toBe(4); // per-user metrics, re-ranking candidates, test top-K lists and explanations
      expect(await database.handle.db.run.count({ where: { datasetId: syntheticId } })).toBe(0);
      expect(await database.handle.db.metricPoint.count({ where: { runId } })).toBe(0);
      expect(await database.handle.db.runArtifact.count({ where: { runId } })).toBe(0);
      expect(await database.handle.db.datasetBlob.count({ where: { datasetId: syntheticId } })).toBe(0);
      expect((await call(dataset.DELETE, { method: "DELETE", params: { id: syntheticId } })).status).toBe(404);
    });
  });
});
