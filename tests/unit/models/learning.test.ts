import { beforeAll, describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import type { Dataset } from "@/lib/datasets/types";
import { resolveRunConfig, runExperiment, type RunResult } from "@/lib/experiments/run-experiment";

/** Learning checks on data with a known latent-factor signal: each model must beat a baseline. */
describe("models learn on synthetic data", () => {
  let dataset: Dataset;
  const results: Record<string, RunResult> = {};

  beforeAll(async () => {
    dataset = generateSynthetic({ seed: 11 });
    for (const modelId of ["pop", "item-knn", "bpr"]) {
      results[modelId] = await runExperiment(dataset, resolveRunConfig({ modelId, feedback: "implicit", ks: [10] }));
    }
  });

  const ndcg = (modelId: string) => results[modelId].test.summary["ndcg@10"];

  it("BPR-MF beats Popularity on test NDCG@10 by a clear margin", () => {
    expect(ndcg("bpr")).toBeGreaterThan(ndcg("pop") * 1.3);
  });

  it("ItemKNN beats Popularity on test NDCG@10 by a clear margin", () => {
    expect(ndcg("item-knn")).toBeGreaterThan(ndcg("pop") * 1.3);
  });

  it("biased MF predicts ratings better than the global mean", async () => {
    const mf = await runExperiment(dataset, resolveRunConfig({ modelId: "mf", monitor: "rmse", ks: [10] }));
    // The global-mean baseline's RMSE on the same test rows: the test ratings' spread around the training mean.
    const { ratings } = dataset.table;
    const split = (await import("@/lib/datasets/splits")).splitDataset(dataset.table, dataset.numUsers, mf.config.split);
    let sum = 0;
    for (const r of split.train) sum += ratings[r];
    const mean = sum / split.train.length;
    let squared = 0;
    for (const r of split.test) squared += (ratings[r] - mean) ** 2;
    const baseline = Math.sqrt(squared / split.test.length);
    expect(mf.test.summary.rmse).toBeLessThan(baseline * 0.95);
  });
});
