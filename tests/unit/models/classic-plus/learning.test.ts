import { beforeAll, describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import type { SplitConfig } from "@/lib/datasets/splits";
import type { Dataset } from "@/lib/datasets/types";
import { resolveRunConfig, runExperiment, type RunResult } from "@/lib/experiments/run-experiment";

/** EASE, ALS and ConvMF against Popularity on the synthetic dataset (known latent-factor signal). */
describe("EASE / ALS / ConvMF learn on synthetic data", () => {
  let dataset: Dataset;
  const random: Record<string, RunResult> = {};
  const cold: Record<string, RunResult> = {};

  beforeAll(async () => {
    dataset = generateSynthetic({ seed: 11 });
    for (const modelId of ["pop", "ease", "als"]) {
      random[modelId] = await runExperiment(dataset, resolveRunConfig({ modelId, feedback: "implicit", ks: [10] }));
    }
    const split: SplitConfig = { kind: "item-cold-start", ratios: [0.8, 0.1, 0.1], seed: 42 };
    cold.pop = await runExperiment(dataset, resolveRunConfig({ modelId: "pop", split, feedback: "implicit", ks: [10] }));
    cold.convmf = await runExperiment(dataset, resolveRunConfig({ modelId: "convmf", params: { epochs: 4, cnnEpochsPerRound: 3 }, split, feedback: "implicit", ks: [10] }));
  }, 60_000);

  const ndcg = (r: RunResult) => r.test.summary["ndcg@10"];

  it("EASE beats Popularity by a clear margin", () => expect(ndcg(random.ease)).toBeGreaterThan(ndcg(random.pop) * 1.3));
  it("ALS beats Popularity by a clear margin", () => expect(ndcg(random.als)).toBeGreaterThan(ndcg(random.pop) * 1.3));

  it("ConvMF beats Popularity on the item cold-start split, where Popularity can only guess", () => {
    expect(cold.pop.coldStart?.constantScoreUsers).toBe(cold.pop.test.numUsers);
    expect(cold.convmf.coldStart?.constantScoreUsers).toBe(0);
    expect(ndcg(cold.convmf)).toBeGreaterThan(ndcg(cold.pop) * 1.3);
  });
});
