import { describe, expect, it } from "vitest";
import { WeightAverage } from "@/lib/models/deep/weight-average";
import { Weights } from "@/lib/models/deep/weights";
import { getModelDefinition } from "@/lib/models/registry";
import { loadTensorflow } from "@/lib/training/tf-backend";
import { tinyTrainingData } from "../fixtures";
import { quickDeepParams, scoreAll } from "./helpers";

const { tf } = await loadTensorflow();

function weightsOf(values: number[]): Weights {
  const w = new Weights(tf);
  w.add("v", [values.length], Float32Array.from(values));
  return w;
}

const set = (w: Weights, values: number[]) => w.get("v").assign(tf.tensor1d(values));
const read = (w: Weights) => Array.from(w.get("v").dataSync());

describe("WeightAverage", () => {
  it("follows a ← a − (1 − d_t)(a − w) with d_t = min(decay, (1 + t) / (5 + t)), by hand", () => {
    const w = weightsOf([0, 10]);
    const average = WeightAverage.start(tf, w, 0.5, 1)!;
    // t = 0: d = min(.5, 1/5) = .2 → a = [0, 10] − .8 ([0, 10] − [4, 2]) = [3.2, 3.6]
    set(w, [4, 2]);
    average.update(w);
    expect(read(average.weights)[0]).toBeCloseTo(3.2, 6);
    expect(read(average.weights)[1]).toBeCloseTo(3.6, 6);
    // t = 1: d = min(.5, 2/6) = 1/3 → a = 3.2 − (2/3)(3.2 − 8) = 6.4, 3.6 − (2/3)(3.6 − 2) = 2.533…
    set(w, [8, 2]);
    average.update(w);
    expect(read(average.weights)[0]).toBeCloseTo(6.4, 5);
    expect(read(average.weights)[1]).toBeCloseTo(3.6 - (2 / 3) * 1.6, 5);
    // t = 2: d = 3/7; from t = 3 on the warm-up (4/8, 5/9, …) reaches the decay: d = min(.5, …) = .5.
    for (let t = 2; t < 8; t++) average.update(w);
    const before = read(average.weights)[0];
    set(w, [0, 2]);
    average.update(w);
    expect(read(average.weights)[0]).toBeCloseTo(before * 0.5, 5);
    // Columns that stopped moving converge to the weights.
    expect(read(average.weights)[1]).toBeCloseTo(2, 2);
  });

  it("updates every 4th step by default, with decay^4", () => {
    const w = weightsOf([0]);
    const average = WeightAverage.start(tf, w, 0.5)!;
    set(w, [16]);
    for (let step = 0; step < 3; step++) average.update(w);
    expect(read(average.weights)).toEqual([0]);
    // t = 0: d = min(.5⁴, 1/5) = .0625 → a = 0 − .9375 (0 − 16) = 15
    average.update(w);
    expect(read(average.weights)[0]).toBeCloseTo(15, 5);
  });

  it("is off (null) at decay 0, and saves and loads its values and step count", () => {
    const w = weightsOf([1, 2, 3]);
    expect(WeightAverage.start(tf, w, 0)).toBeNull();
    const average = WeightAverage.start(tf, w, 0.9, 2)!;
    set(w, [5, 5, 5]);
    average.update(w);
    average.update(w);
    average.update(w);
    // Saved between two updates: the step count says when the next one comes.
    const state = { json: {}, arrays: average.save() };
    const restored = WeightAverage.load(tf, w, 0.9, state, 2)!;
    expect(read(restored.weights)).toEqual(read(average.weights));
    set(w, [9, 0, 1]);
    average.update(w);
    restored.update(w);
    expect(read(restored.weights)).toEqual(read(average.weights));
    expect(WeightAverage.load(tf, w, 0, state)).toBeNull();
    expect(WeightAverage.load(tf, w, 0.9, { json: {}, arrays: {} })).toBeNull();
  });
});

// NeuMF scores an average by default; the autoencoders by choice (off by default: docs/benchmarks/deep-autoencoders-neumf.md).
describe.each([
  ["neumf", true, "gmfItem"],
  ["cdae", false, "decW"],
  ["mult-dae", false, "encW"],
  ["mult-vae", false, "encW1"],
] as const)("%s with a weight average", (id, onByDefault, trainedWeight) => {
  const definition = getModelDefinition(id);
  const data = tinyTrainingData("implicit", 20, 12);
  const paramsWith = (weightAverageDecay: number) => quickDeepParams(definition, { epochs: 3, pretrainEpochs: 1, batchSize: 8, weightAverageDecay });

  async function fit(weightAverageDecay: number) {
    const model = definition.create(paramsWith(weightAverageDecay), data.numUsers, data.numItems);
    await model.fit(data, { seed: 3, onEpoch: async () => undefined });
    return model;
  }

  it(`is ${onByDefault ? "on" : "off"} by default, and scores the average: the same training, other scores, kept through save and load`, async () => {
    expect((definition.paramsSchema.parse({}) as { weightAverageDecay: number }).weightAverageDecay > 0).toBe(onByDefault);
    const plain = await fit(0), averaged = await fit(0.9);
    const state = averaged.save();
    expect(Object.keys(state.arrays).filter((k) => k.startsWith("weightAverage/")).length).toBeGreaterThan(1);
    expect(Object.keys(plain.save().arrays).some((k) => k.startsWith("weightAverage/"))).toBe(false);
    // The training weights are the same: the average only changes what is scored.
    expect(state.arrays[trainedWeight]).toBeDefined();
    expect(state.arrays[trainedWeight]).toEqual(plain.save().arrays[trainedWeight]);
    const scores = scoreAll(averaged, data.numUsers, data.numItems);
    expect(scores).not.toEqual(scoreAll(plain, data.numUsers, data.numItems));
    const loaded = definition.create(paramsWith(0.9), data.numUsers, data.numItems);
    loaded.load(state);
    expect(scoreAll(loaded, data.numUsers, data.numItems)).toEqual(scores);
  });
});
