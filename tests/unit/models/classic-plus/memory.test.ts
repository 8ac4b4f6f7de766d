import { afterEach, describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { resolveRunConfig, runExperiment } from "@/lib/experiments/run-experiment";
import { checkRunMemory, maxModelMemoryBytes } from "@/lib/experiments/memory-check";
import { estimateRunMemory, formatBytes, MEMORY_ESTIMATORS } from "@/lib/models/memory";
import { getModelDefinition, listModels } from "@/lib/models/registry";

const LIMIT = "RECLAB_MAX_MODEL_MEMORY_GB";

describe("memory estimates", () => {
  const saved = process.env[LIMIT];
  afterEach(() => {
    if (saved === undefined) delete process.env[LIMIT];
    else process.env[LIMIT] = saved;
  });

  it("refuses a run whose estimate exceeds the limit before training, naming model, size and limit", async () => {
    process.env[LIMIT] = "0.001"; // about 1 MB
    const dataset = generateSynthetic({ seed: 3, numItems: 600, numUsers: 50 });
    const run = runExperiment(dataset, resolveRunConfig({ modelId: "ease", params: { solver: "primal" } }));
    await expect(run).rejects.toMatchObject({ code: "BAD_INPUT", details: { field: "modelId" } });
    await expect(runExperiment(dataset, resolveRunConfig({ modelId: "ease" }))).rejects.toThrow(/^EASE needs about .* for 600 items; this worker allows 1\.0 MB/);
  });

  it("reads the limit from RECLAB_MAX_MODEL_MEMORY_GB, else 80% of the machine's memory", () => {
    expect(maxModelMemoryBytes({ [LIMIT]: "20" })).toBe(20 * 2 ** 30);
    expect(maxModelMemoryBytes({})).toBeGreaterThan(0);
    expect(() => maxModelMemoryBytes({ [LIMIT]: "lots" })).toThrow(/positive number/);
  });

  it("sizes EASE at 17,000 items in float32, and never ItemKNN at items²", () => {
    const sizes = { numUsers: 100_000, numItems: 17_000, numInteractions: 10_000_000 };
    const ease = estimateRunMemory("ease", {}, sizes);
    expect(ease).toBeGreaterThan(17_000 ** 2 * 4);
    expect(ease).toBeLessThan(17_000 ** 2 * 4 + 2 ** 30); // + panels, history and evaluation buffers
    expect(estimateRunMemory("item-knn", { neighbours: 100 }, sizes)).toBeLessThan(17_000 ** 2 * 4); // a dense float32 items² would be 1.1 GB
    expect(() => checkRunMemory(getModelDefinition("ease"), {}, sizes, 20 * 2 ** 30)).not.toThrow();
    expect(() => checkRunMemory(getModelDefinition("ease"), {}, sizes, 2 ** 30)).toThrow(/EASE needs about 1\.\d GB for 17,000 items; this worker allows 1\.0 GB/);
    expect(formatBytes(9.1 * 2 ** 30)).toBe("9.1 GB");
  });

  it("gives the browser the same estimate as the model definitions", () => {
    const sizes = { numUsers: 943, numItems: 1682, numInteractions: 100_000 };
    for (const definition of listModels()) {
      const own = MEMORY_ESTIMATORS[definition.id];
      if (!own) continue;
      const params = definition.paramsSchema.parse({});
      expect(definition.estimateMemoryBytes?.(params, sizes.numUsers, sizes.numItems, sizes.numInteractions)).toBe(
        own(params, sizes.numUsers, sizes.numItems, sizes.numInteractions),
      );
    }
    expect(estimateRunMemory("some-future-model", { factors: 8 }, sizes)).toBeGreaterThan(0);
  });

  it("falls back to each model's own defaults when the form sends no params", () => {
    const sizes = { numUsers: 943, numItems: 1682, numInteractions: 100_000 };
    for (const [id, estimate] of Object.entries(MEMORY_ESTIMATORS)) {
      const defaults = getModelDefinition(id).paramsSchema.parse({});
      expect(estimate({}, sizes.numUsers, sizes.numItems, sizes.numInteractions), id).toBe(estimate(defaults, sizes.numUsers, sizes.numItems, sizes.numInteractions));
    }
  });

  it("counts the full softmax of the sequence models, which dominates on large catalogues", () => {
    const sizes = { numUsers: 50_000, numItems: 100_000, numInteractions: 5_000_000 };
    // SASRec: 16 windows × 50 positions × 100,000 items, float32, three times (logits, softmax, gradient).
    const softmax = 3 * 16 * 50 * 100_000 * 4;
    expect(estimateRunMemory("sasrec", {}, sizes)).toBeGreaterThan(softmax);
    const sampled = estimateRunMemory("sasrec", { negatives: 255 }, sizes); // 256 classes, not 100,000
    expect(estimateRunMemory("sasrec", {}, sizes) - sampled).toBeGreaterThan(0.99 * softmax);
    expect(estimateRunMemory("gru4rec", {}, sizes)).toBeGreaterThan(3 * 256 * 10 * 100_000 * 4);
    expect(() => checkRunMemory(getModelDefinition("sasrec"), getModelDefinition("sasrec").paramsSchema.parse({}), sizes, 2 ** 30)).toThrow(
      /^SASRec needs about 1\.\d GB for 100,000 items; this worker allows 1\.0 GB/,
    );
  });

  it("counts NeuMF's two embedding tables, its scored weight average and an epoch's sampled pairs", () => {
    const sizes = { numUsers: 1_000, numItems: 9_000, numInteractions: 100_000 };
    // Defaults: 32 GMF + 64 MLP floats per row.
    const rowBytes = (1_000 + 9_000) * (32 + 64) * 4;
    expect(estimateRunMemory("neumf", {}, sizes) - estimateRunMemory("neumf", { weightAverageDecay: 0 }, sizes)).toBe(rowBytes);
    // 16 negatives → 8 negatives: 100,000 × 8 fewer (user, item, label) triples of 12 bytes.
    expect(estimateRunMemory("neumf", {}, sizes) - estimateRunMemory("neumf", { negatives: 8 }, sizes)).toBe(100_000 * 8 * 12);
    expect(estimateRunMemory("neumf", {}, sizes)).toBeGreaterThan(5 * rowBytes);
  });

  it("sizes the autoencoders by their layers, not as a 64-wide factor model", () => {
    const sizes = { numUsers: 2_000, numItems: 17_000, numInteractions: 90_000 };
    // CDAE's defaults: an encoder and a decoder of 17,000 × 600 and a 2,000 × 600 user node, held 9 times
    // (in tf.js: weights, gradient, Adam's moments, the update's temporaries; in JS: a validation's snapshots).
    const cdaeWeightBytes = (2 * 17_000 * 600 + 2_000 * 600) * 4;
    const cdae = estimateRunMemory("cdae", {}, sizes);
    expect(cdae).toBeGreaterThan(9 * cdaeWeightBytes);
    expect(cdae).toBeLessThan(9 * cdaeWeightBytes + 128 * 2 ** 20); // + a step's [100 × 17,000] activations, evaluation and the interactions
    // 600 more units: that many more encoder and decoder columns, user-node columns and biases, 9 times.
    expect(estimateRunMemory("cdae", { hidden: 1_200 }, sizes) - cdae).toBe((2 * 17_000 + 2_000 + 1) * 600 * 4 * 9);
    // Half the batch: half the step's eight [batch × items] activations.
    expect(cdae - estimateRunMemory("cdae", { batchSize: 50 }, sizes)).toBe(8 * 50 * 17_000 * 4);
    // Mult-VAE: I → 2·200 and 200 → I by default; a 600-unit hidden layer puts 17,000 × 600 on both sides instead.
    expect(estimateRunMemory("mult-vae", {}, sizes)).toBeGreaterThan(9 * 3 * 17_000 * 200 * 4);
    expect(estimateRunMemory("mult-vae", { hidden: 600 }, sizes)).toBeGreaterThan(9 * 2 * 17_000 * 600 * 4);
    expect(estimateRunMemory("mult-dae", {}, sizes)).toBeLessThan(cdae); // 200 units against 600
  });

  it("counts four more copies of an autoencoder's weights when it scores a weight average (off by default)", () => {
    const sizes = { numUsers: 1_000, numItems: 9_000, numInteractions: 100_000 };
    // Mult-DAE's 9,000 × 200 encoder and 200 × 9,000 decoder with their biases.
    const copyBytes = (2 * 9_000 * 200 + 200 + 9_000) * 4;
    expect(estimateRunMemory("mult-dae", {}, sizes)).toBe(estimateRunMemory("mult-dae", { weightAverageDecay: 0 }, sizes));
    // One in tf.js's heap, one in each of a validation's three snapshots.
    expect(estimateRunMemory("mult-dae", { weightAverageDecay: 0.999 }, sizes) - estimateRunMemory("mult-dae", {}, sizes)).toBe(4 * copyBytes);
  });
});
