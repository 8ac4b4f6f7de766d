import { beforeAll, describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import type { Dataset } from "@/lib/datasets/types";
import { prepareSplit, splitForRun } from "@/lib/experiments/prepare-data";
import { resolveRunConfig, runExperiment, type RunResult } from "@/lib/experiments/run-experiment";
import { evaluateRanking } from "@/lib/metrics/evaluate";
import { bprDefinition } from "@/lib/models/bpr";
import { trainModel } from "@/lib/training/train-model";
import { terminateIdleThreads } from "@/lib/training/threads/pool";

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

  it("BPR-MF on 2 threads (users in blocks, item arrays merged) beats Popularity by the same margin", async () => {
    const config = results.bpr.config;
    const data = prepareSplit(dataset, splitForRun(dataset, config).split, "implicit");
    const validation = { truth: data.validation, exclude: [data.train.train] };
    const trained = await trainModel({ definition: bprDefinition, params: config.params, data: data.train, validation, seed: config.seed, threads: 2 });
    terminateIdleThreads();
    expect(trained.threads).toBe(2);
    const test = evaluateRanking((users, out) => trained.model.score(users, out), { numItems: data.train.numItems, truth: data.test, exclude: [data.train.train, data.validation], ks: [10] });
    expect(test.summary["ndcg@10"]).toBeGreaterThan(ndcg("pop") * 1.3);
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
