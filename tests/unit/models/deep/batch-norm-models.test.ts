import { describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { planExperiment } from "@/lib/experiments/plan-experiment";
import { resolveRunConfig, runExperiment } from "@/lib/experiments/run-experiment";
import { getModelDefinition } from "@/lib/models/registry";
import type { ModelDefinition, ModelState } from "@/lib/models/types";
import { tinyTrainingData } from "../fixtures";
import { quickDeepParams, scoreAll } from "./helpers";

/** Every model with a batchNorm switch, and the layers it normalises (ModelState array names). */
const WIRED: Record<string, string[]> = {
  neumf: ["mlp0", "mlp1"],
  cdae: ["enc"],
  "mult-dae": ["enc"],
  "mult-vae": ["enc", "dec"],
  caser: ["fc"],
  convmf: ["conv1", "conv2", "conv3"],
};

const params = (definition: ModelDefinition, batchNorm: boolean, extra: Record<string, unknown> = {}) =>
  quickDeepParams(definition, { epochs: 3, batchSize: 8, batchNorm, batchNormMomentum: 0.9, ...extra });

describe.each(Object.entries(WIRED))("%s with batchNorm", (id, layers) => {
  const definition = getModelDefinition(id);
  const WORDS = ["space", "love", "war", "city", "night", "river"];
  // Titles from a small vocabulary, so ConvMF's text CNN sees real tokens (others ignore them).
  const data = { ...tinyTrainingData("implicit", 20, 12), items: { title: Array.from({ length: 12 }, (_, j) => `${WORDS[j % 6]} ${WORDS[(j * 5 + 1) % 6]} ${WORDS[(j + 3) % 6]}`) } };

  async function fit(batchNorm: boolean) {
    const model = definition.create(params(definition, batchNorm), data.numUsers, data.numItems);
    await model.fit(data, { seed: 3, onEpoch: async () => undefined });
    return model;
  }

  it("is a documented boolean switch, off by default", () => {
    const parsed = definition.paramsSchema.parse({}) as { batchNorm?: unknown };
    expect(parsed.batchNorm).toBe(false);
    expect(definition.paramsSchema.shape.batchNorm.description).toMatch(/Batch normalisation/);
  });

  it("trains, changes the scores, and saves moving statistics that a fresh instance scores with identically", async () => {
    const on = await fit(true);
    const off = await fit(false);
    const s = scoreAll(on, data.numUsers, data.numItems);
    expect(s.every(Number.isFinite)).toBe(true);
    expect(s).not.toEqual(scoreAll(off, data.numUsers, data.numItems));

    const state = on.save();
    for (const layer of layers) {
      // Moving mean starts at 0: after training it has moved.
      const mean = state.arrays[`batchNorm/${layer}/movingMean`] as Float32Array;
      expect(mean, layer).toBeInstanceOf(Float32Array);
      expect(mean.some((v) => v !== 0), layer).toBe(true);
    }
    expect(Object.keys(off.save().arrays).some((k) => k.startsWith("batchNorm/"))).toBe(false);

    const fresh = definition.create(params(definition, true), data.numUsers, data.numItems);
    fresh.load(state);
    expect(scoreAll(fresh, data.numUsers, data.numItems)).toEqual(s);

    const stripped: ModelState = { json: state.json, arrays: Object.fromEntries(Object.entries(state.arrays).filter(([k]) => !k.startsWith("batchNorm/"))) };
    expect(() => definition.create(params(definition, true), data.numUsers, data.numItems).load(stripped)).toThrow(/batch-norm statistics/);
  });
});

describe("batch normalisation as a run setting", () => {
  it("Mult-VAE refuses it without a hidden layer, saying why", () => {
    const definition = getModelDefinition("mult-vae");
    const p = definition.paramsSchema.parse({ batchNorm: true, hidden: 0 });
    expect(() => definition.create(p, 5, 5)).toThrow(/hidden > 0/);
  });

  it("is recorded in the resolved run config and is an ablation component", () => {
    const config = resolveRunConfig({ modelId: "mult-dae", params: { batchNorm: true } });
    expect(config.params).toMatchObject({ batchNorm: true, batchNormMomentum: 0.99 });
    const plan = planExperiment({ modelId: "mult-dae", params: { batchNorm: true } }, { kind: "ablation", variants: [{ name: "no batch norm", params: { batchNorm: false } }], seeds: [1, 2, 3] });
    expect(plan.runs.map((r) => [r.label, r.config.params.batchNorm])).toEqual([
      ["base · seed 1", true],
      ["base · seed 2", true],
      ["base · seed 3", true],
      ["no batch norm · seed 1", false],
      ["no batch norm · seed 2", false],
      ["no batch norm · seed 3", false],
    ]);
  });

  // NeuMF with batch norm trains on the tf-ops path (the fast path has no batch-norm backward yet).
  it.each([
    ["mult-dae", { epochs: 40, hidden: 64, batchSize: 50, learningRate: 0.003 }],
    // End to end (no pre-training), few large batches: the tf-ops path is slow (~1.8× Popularity).
    ["neumf", { epochs: 6, factors: 8, mlpLayers: 2, pretrainEpochs: 0, batchSize: 1024, learningRate: 0.01 }],
  ] as const)("%s with batch norm learns the synthetic signal: beats Popularity on test NDCG@10", async (modelId, p) => {
    const dataset = generateSynthetic({ seed: 11 });
    const config = (id: string, extra: Record<string, unknown> = {}) => resolveRunConfig({ modelId: id, params: extra, feedback: "implicit", ks: [10], patience: 5, evalEvery: 2 });
    const pop = (await runExperiment(dataset, config("pop"))).test.summary["ndcg@10"];
    const result = await runExperiment(dataset, config(modelId, { ...p, batchNorm: true }));
    expect(result.test.summary["ndcg@10"]).toBeGreaterThan(pop * 1.2);
  });
});
