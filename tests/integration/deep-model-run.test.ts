import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runs from "@/app/api/runs/route";
import * as runDetail from "@/app/api/runs/[id]/route";
import * as runHistory from "@/app/api/runs/[id]/history/route";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { call, useDatabase } from "./support/api";
import { createTestDatabase, type TestDatabase } from "./support/databases";
import { startWorkerProcess, stopProcess, waitFor } from "./support/worker-process";

/**
 * A TensorFlow.js model through the whole product path: launched through the API, trained by a
 * real worker process (its own TensorFlow.js backend, registered kernels and all), read back
 * through the API — metrics, learning curve and the backend it ran on.
 */
describe("a SASRec run through the API and a worker process", () => {
  let database: TestDatabase;
  let datasetId: string;
  beforeAll(async () => {
    process.env.RECLAB_SINGLE_USER = "1";
    database = await createTestDatabase("sqlite");
    useDatabase(database.handle);
    ({ id: datasetId } = await createSyntheticDataset(database.handle.db, { name: "sequences", options: { numUsers: 150, numItems: 80, seed: 5 } }));
  });
  afterAll(async () => {
    delete process.env.RECLAB_SINGLE_USER;
    await database?.drop();
  });

  it("trains for the requested epochs and reports test metrics, a learning curve and its backend", async () => {
    const created = await call(runs.POST, {
      method: "POST",
      json: { datasetId, config: { modelId: "sasrec", params: { epochs: 3, factors: 16, maxLen: 20 }, patience: 10, ks: [10] } },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const worker = startWorkerProcess(database.url);
    try {
      const run = await waitFor(async () => {
        const { body } = await call(runDetail.GET, { params: { id } });
        return body.run.status === "QUEUED" || body.run.status === "RUNNING" ? undefined : body.run;
      }, 150_000, "the SASRec run to finish");
      expect(run.status, worker.output()).toBe("SUCCEEDED");
      expect(run.backend).toMatch(/^tfjs-(wasm|node|cpu)$/);
      const ndcg = run.metrics["ndcg@10"];
      expect(ndcg).toBeGreaterThan(0);
      expect(ndcg).toBeLessThanOrEqual(1);
      expect(run.result.fit.epochsRun).toBe(3);

      const { status, body } = await call(runHistory.GET, { params: { id } });
      expect(status).toBe(200);
      expect(body.history["validation/ndcg@10"].map((p: { step: number }) => p.step)).toEqual([1, 2, 3]);
      expect(body.history["train/loss"]).toHaveLength(3);
      for (const p of body.history["train/loss"]) expect(Number.isFinite(p.value) && p.value > 0).toBe(true);
    } finally {
      await stopProcess(worker);
    }
  });
});
