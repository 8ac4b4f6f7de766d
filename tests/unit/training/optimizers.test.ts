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

describe("optimizers against tf.train", () => {
  // A least-squares loss ‖Aw − b‖² whose gradient changes with w, so the moments matter.
  const A = [[1.5, -0.3, 0.2], [0.1, 0.9, -1.1], [-0.7, 0.4, 2.0], [0.3, 0.3, 0.3]];
  const b = [0.5, -1.2, 2.2, 0.1];
  const loss = (w: import("@tensorflow/tfjs").Variable) => tf.sum(tf.square(tf.sub(tf.matMul(tf.tensor2d(A), w.reshape([3, 1])).reshape([4]), tf.tensor1d(b)))) as Scalar;
  const init = [0.2, -0.4, 0.6];

  function trajectory(step: (w: import("@tensorflow/tfjs").Variable) => void, steps = 10): number[] {
    const w = tf.variable(tf.tensor1d(init));
    for (let s = 0; s < steps; s++) step(w);
    const out = Array.from(w.dataSync());
    w.dispose();
    return out;
  }

  function ours(name: (typeof OPTIMIZERS)[number], lr: number, config: { weightDecay?: number } = {}) {
    let opt: ReturnType<typeof createOptimizer> | null = null;
    const out = trajectory((w) => {
      opt ??= createOptimizer(tf, { name, momentum: 0.9, ...config }, { w });
      const { value, grads } = tf.variableGrads(() => loss(w), [w]);
      opt.step({ w: grads[w.name] }, lr);
      tf.dispose([value, ...Object.values(grads)]);
    });
    opt!.dispose();
    return out;
  }

  function theirs(optimizer: import("@tensorflow/tfjs").Optimizer) {
    const out = trajectory((w) => optimizer.minimize(() => loss(w), true, [w])?.dispose());
    optimizer.dispose();
    return out;
  }

  const expectSame = (a: number[], b: number[]) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-6));

  it("Adam matches tf.train.adam for 10 steps, and its formula in float64 more closely", () => {
    // tf.train.adam keeps β1ᵗ and β2ᵗ as float32 products, so its 1 − β2ᵗ is off by ~1e-5
    // relative (0.999 is not a float32); RecLab computes the bias correction in float64.
    const mine = ours("adam", 0.05);
    mine.forEach((v, i) => expect(Math.abs(v - theirs(tf.train.adam(0.05, 0.9, 0.999, 1e-8))[i])).toBeLessThan(1e-5));
    expectSame(mine, adamReference(0.05, 0));
  });
  it("RMSprop with momentum matches tf.train.rmsprop", () => expectSame(ours("rmsprop", 0.01), theirs(tf.train.rmsprop(0.01, 0.9, 0.9, 1e-7))));
  it("SGD with momentum matches tf.train.momentum", () => expectSame(ours("sgd", 0.02), theirs(tf.train.momentum(0.02, 0.9))));
  it("Adagrad matches tf.train.adagrad (accumulator from 0.1)", () => expectSame(ours("adagrad", 0.1), theirs(tf.train.adagrad(0.1, 0.1))));

  it("AdamW (decoupled weight decay) matches its formula in float64", () => expectSame(ours("adam", 0.05, { weightDecay: 0.1 }), adamReference(0.05, 0.1)));

  /** Adam (Kingma & Ba) with decoupled weight decay (Loshchilov & Hutter), in float64, 10 steps. */
  function adamReference(lr: number, wd: number): number[] {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const w = [...init];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    for (let t = 1; t <= 10; t++) {
      const r = b.map((bi, i) => A[i].reduce((s, a, j) => s + a * w[j], 0) - bi);
      const g = w.map((_, j) => A.reduce((s, row, i) => s + 2 * row[j] * r[i], 0));
      for (let j = 0; j < 3; j++) {
        m[j] = b1 * m[j] + (1 - b1) * g[j];
        v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
        w[j] -= lr * ((m[j] / (1 - b1 ** t)) / (Math.sqrt(v[j] / (1 - b2 ** t)) + eps) + wd * w[j]);
      }
    }
    return w;
  }
});
