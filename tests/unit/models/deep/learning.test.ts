import { describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { applyAutoDefaults } from "@/lib/experiments/auto-params";
import { resolveRunConfig, runExperiment } from "@/lib/experiments/run-experiment";

/** Per-model settings that learn the synthetic signal in a few seconds. */
const FAST: Record<string, Record<string, unknown>> = {
  "mult-vae": { epochs: 40, hidden: 100, latent: 32, batchSize: 50, learningRate: 0.003 },
  "mult-dae": { epochs: 40, hidden: 64, batchSize: 50, learningRate: 0.003 },
  cdae: { epochs: 40, hidden: 32, batchSize: 50, learningRate: 0.003 },
  // Towers this narrow (16-8) are not regularised: the default dropout is for the default 64-32.
  neumf: { epochs: 12, factors: 8, mlpLayers: 2, pretrainEpochs: 6, batchSize: 512, learningRate: 0.005, dropout: 0 },
  "neumf (pairwise loss)": { epochs: 12, factors: 8, mlpLayers: 2, pretrainEpochs: 6, batchSize: 512, learningRate: 0.005, dropout: 0, loss: "pairwise" },
};

describe("deep models learn on synthetic data", async () => {
  const dataset = generateSynthetic({ seed: 11 });
  // As a launch does: what the test does not set adapts to the dataset's shape.
  const shape = { users: dataset.numUsers, items: dataset.numItems, interactions: dataset.table.users.length };
  const config = (modelId: string, params: Record<string, unknown> = {}) =>
    resolveRunConfig(applyAutoDefaults({ modelId, params, feedback: "implicit", ks: [10], patience: 5, evalEvery: 2 }, shape));
  const pop = (await runExperiment(dataset, config("pop"))).test.summary["ndcg@10"];

  it.each(Object.keys(FAST))("%s beats Popularity on test NDCG@10", async (name) => {
    const result = await runExperiment(dataset, config(name.split(" ")[0], FAST[name]));
    expect(result.test.summary["ndcg@10"]).toBeGreaterThan(pop * 1.2);
  });
});
