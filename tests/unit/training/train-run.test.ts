import { describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { resolveRunConfig } from "@/lib/experiments/run-experiment";
import type { JobRecord } from "@/lib/queue/types";
import { MemoryTrackingStore } from "@/lib/tracking/memory-store";
import { executeTrainRun } from "@/workers/handlers/train-run";
import type { JobContext } from "@/workers/worker";

const dataset = generateSynthetic({ numUsers: 120, numItems: 80, seed: 5 });
const context: JobContext = {
  job: { id: "job-1", name: "train-run", attempts: 1 } as JobRecord,
  workerId: "test-worker",
  async reportProgress() {},
  isCancelled: () => false,
};

describe("train-run worker handler stores beyond-accuracy metrics with the run summary", () => {
  const cases = [
    { label: "a run evaluated on test", evaluateTest: true, part: "test" as const },
    { label: "a search trial, evaluated on validation", evaluateTest: false, part: "validation" as const },
  ];
  for (const c of cases) {
    it(c.label, async () => {
      const tracking = new MemoryTrackingStore();
      const config = resolveRunConfig({ modelId: "bpr", params: { epochs: 2, factors: 4 }, feedback: "implicit", ks: [10], evaluateTest: c.evaluateTest });
      const run = await tracking.createRun({ name: c.label, datasetId: "d1", modelId: "bpr", config });
      await executeTrainRun(run.id, context, { tracking, loadDataset: async () => dataset });
      const summary = (await tracking.getRun(run.id))?.metrics?.[c.part] ?? {};
      expect(summary["ndcg@10"]).toBeGreaterThan(0);
      for (const key of ["gini@10", "arp@10", "ild@10", "miscalibration@10", "serendipity@10", "auc"]) expect(Number.isFinite(summary[key]), key).toBe(true);
    });
  }
});

describe("train-run worker handler on a job that comes round again after its run ended", () => {
  it("leaves a finished run as it is (no reset, no retraining) and reports the job done", async () => {
    const tracking = new MemoryTrackingStore();
    const config = resolveRunConfig({ modelId: "bpr", params: { epochs: 2, factors: 4 }, feedback: "implicit", ks: [10] });
    const run = await tracking.createRun({ name: "settled", datasetId: "d1", modelId: "bpr", config });
    await executeTrainRun(run.id, context, { tracking, loadDataset: async () => dataset });
    const finished = await tracking.getRun(run.id);
    const history = await tracking.getMetricHistory(run.id);
    let loads = 0;
    const again = await executeTrainRun(run.id, { ...context, job: { ...context.job, attempts: 2 } }, { tracking, loadDataset: async () => (loads++, dataset) });
    expect(again).toEqual({ runId: run.id, skipped: "the run had already ended (SUCCEEDED) in an earlier attempt" });
    expect(loads).toBe(0);
    expect(await tracking.getRun(run.id)).toEqual(finished);
    expect(await tracking.getMetricHistory(run.id)).toEqual(history);
  });
});
