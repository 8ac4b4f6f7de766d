import { describe, expect, it } from "vitest";
import type { Scalar } from "@tensorflow/tfjs";
import { deepTrainingParamsSchema, learningRateAt, OPTIMIZERS } from "@/lib/training/deep-training";
import { createOptimizer } from "@/lib/training/optimizers";
import { epochRng } from "@/lib/training/seeding";
import { loadTensorflow } from "@/lib/training/tf-backend";

const { tf } = await loadTensorflow();

/** Minimises ‖w − target‖² from w = 0 with `steps` updates; returns the final w. */
function minimise(name: (typeof OPTIMIZERS)[number], steps: number, lr: number, restoreAt?: number): Float32Array {
  const target = tf.tensor1d([1, -2, 3]);
  const w = tf.tidy(() => tf.variable(tf.zeros([3])));
  let opt = createOptimizer(tf, { name, momentum: 0.9 }, { w });
  for (let s = 0; s < steps; s++) {
    if (s === restoreAt) {
      // A checkpoint: export, drop the optimizer, rebuild it and import.
      const state = opt.exportState();
      opt.dispose();
      opt = createOptimizer(tf, { name, momentum: 0.9 }, { w });
      opt.importState(state);
    }
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(w, target))) as Scalar, [w]);
    opt.step({ w: grads[w.name] }, lr);
    value.dispose();
    tf.dispose(Object.values(grads));
  }
  const out = Float32Array.from(w.dataSync());
  opt.dispose();
  tf.dispose([w, target]);
  return out;
}

describe("optimizers", () => {
  it.each([
    ["adam", 0.1],
    ["rmsprop", 0.01],
    ["sgd", 0.05],
    ["adagrad", 0.5],
  ] as const)("%s minimises a quadratic", (name, lr) => {
    const w = minimise(name, 300, lr);
    expect(Array.from(w)).toEqual([expect.closeTo(1, 1), expect.closeTo(-2, 1), expect.closeTo(3, 1)]);
  });

  it.each(OPTIMIZERS.map((n) => [n]))("%s continues identically after export/import of its state", (name) => {
    expect(minimise(name, 20, 0.05, 10)).toEqual(minimise(name, 20, 0.05));
  });

  it("does not leak tensors across steps", () => {
    const before = tf.memory().numTensors;
    minimise("adam", 5, 0.1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("deep training params", () => {
  it("documents every field and has defaults", () => {
    for (const [name, field] of Object.entries(deepTrainingParamsSchema.shape)) expect(field.description, name).toBeTruthy();
    expect(deepTrainingParamsSchema.parse({})).toMatchObject({ optimizer: "adam", schedule: "constant" });
  });

  it.each([
    { label: "constant", schedule: "constant" as const, epoch: 30, want: 0.1 },
    { label: "step: ×0.5 every 10 epochs, epoch 25", schedule: "step" as const, epoch: 25, want: 0.025 },
    { label: "step: first epoch", schedule: "step" as const, epoch: 1, want: 0.1 },
    { label: "cosine: first epoch", schedule: "cosine" as const, epoch: 1, want: 0.1 },
    { label: "cosine: last epoch decays to 1%", schedule: "cosine" as const, epoch: 41, want: 0.001 },
    { label: "cosine: midpoint", schedule: "cosine" as const, epoch: 21, want: 0.0505 },
  ])("learning-rate schedule $label", ({ schedule, epoch, want }) => {
    const params = { learningRate: 0.1, schedule, scheduleGamma: 0.5, scheduleEvery: 10, epochs: 41 };
    expect(learningRateAt(params, epoch)).toBeCloseTo(want, 6);
  });

  it("derives each epoch's random stream from (seed, epoch) only", () => {
    expect(epochRng(3, 7).next()).toBe(epochRng(3, 7).next());
    expect(epochRng(3, 7).next()).not.toBe(epochRng(3, 8).next());
    expect(epochRng(3, 7).next()).not.toBe(epochRng(4, 7).next());
  });
});
