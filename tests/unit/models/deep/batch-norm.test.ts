import { describe, expect, it } from "vitest";
import type { Tensor, Variable } from "@tensorflow/tfjs";
import { BatchNorm } from "@/lib/models/deep/batch-norm";
import { loadTensorflow, type Tf } from "@/lib/training/tf-backend";
import { Rng } from "@/lib/util/rng";

const { tf, backend }: { tf: Tf; backend: string } = await loadTensorflow();

const FEATURES = 4;
const random = (rng: Rng, n: number, scale = 1, shift = 0) => Float32Array.from({ length: n }, () => shift + scale * rng.normal());

/** Ours, with γ and β in a plain record as a model's weight container would hold them. */
function ours(momentum: number, gamma: Float32Array, beta: Float32Array) {
  const bn = new BatchNorm(momentum);
  const vars: Record<string, Variable> = {};
  bn.addLayer("h", FEATURES, (name, shape) => {
    vars[name] = tf.variable(tf.tensor(name.endsWith("gamma") ? gamma : beta, shape));
  });
  return { bn, vars, get: (name: string) => vars[name] as Tensor };
}

/** tf.layers.batchNormalization with the same γ and β (moving mean 0, variance 1, as Keras starts). */
function keras(momentum: number, gamma: Float32Array, beta: Float32Array) {
  const layer = tf.layers.batchNormalization({ momentum, inputShape: [FEATURES] });
  layer.build([null, FEATURES]);
  layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([FEATURES]), tf.ones([FEATURES])]);
  return layer;
}

const read = (t: Tensor) => Float32Array.from(t.dataSync() as Float32Array);

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tol);
}

describe("BatchNorm", () => {
  it("normalises by the batch's biased variance in training (hand-computed)", () => {
    const { bn, get } = ours(0.9, Float32Array.of(2, 1, 1, 1), Float32Array.of(0.5, 0, 0, 0));
    // Column 0: values 1 and 3 → mean 2, biased variance 1; y = 2·(±1)/√(1 + 0.001) + 0.5.
    const y = tf.tidy(() => read(bn.apply(tf, "h", tf.tensor2d([1, 0, 0, 0, 3, 0, 0, 0], [2, FEATURES]), get, true)));
    const s = 2 / Math.sqrt(1.001);
    expectClose([y[0], y[4]], [0.5 - s, 0.5 + s]);
    // Moving mean 0 → 0.1·2 = 0.2; moving variance 1 → 0.9 + 0.1·1 = 1 (column 0).
    const saved = bn.save();
    expectClose([saved["batchNorm/h/movingMean"][0], saved["batchNorm/h/movingVariance"][0]], [0.2, 1]);
    // Columns of zeros: variance 0 → moving variance 0.9.
    expect(saved["batchNorm/h/movingVariance"][1]).toBeCloseTo(0.9, 6);
  });

  it.each([0.99, 0.9, 0.5])("equals tf.layers.batchNormalization to 1e-5 in both modes, moving statistics after 6 steps included (momentum %s)", (momentum) => {
    const rng = new Rng(7);
    const gamma = random(rng, FEATURES, 0.3, 1), beta = random(rng, FEATURES, 0.5);
    const mine = ours(momentum, gamma, beta);
    const layer = keras(momentum, gamma, beta);
    for (let step = 0; step < 6; step++) {
      const rows = 5 + step;
      const x = random(rng, rows * FEATURES, 2, 3);
      const [a, b] = tf.tidy(() => {
        const t = tf.tensor2d(x, [rows, FEATURES]);
        return [read(mine.bn.apply(tf, "h", t, mine.get, true)), read(layer.apply(t, { training: true }) as Tensor)];
      });
      expectClose(a, b);
    }
    const [, , kerasMean, kerasVariance] = layer.getWeights().map(read);
    const saved = mine.bn.save();
    expectClose(saved["batchNorm/h/movingMean"], kerasMean);
    expectClose(saved["batchNorm/h/movingVariance"], kerasVariance);
    // The moving statistics really moved (a test against the initial 0 / 1 would be vacuous).
    expect(Math.abs(kerasMean[0])).toBeGreaterThan(0.01);

    const x = random(rng, 3 * FEATURES, 2, 3);
    const [a, b] = tf.tidy(() => {
      const t = tf.tensor2d(x, [3, FEATURES]);
      return [read(mine.bn.apply(tf, "h", t, mine.get, false)), read(layer.apply(t, { training: false }) as Tensor)];
    });
    expectClose(a, b);
  });

  it(`passes gradients to the input, γ and β equal to Keras's (backend ${backend})`, () => {
    const rng = new Rng(3);
    const gamma = random(rng, FEATURES, 0.3, 1), beta = random(rng, FEATURES, 0.5);
    const x = random(rng, 8 * FEATURES, 2, 1), w = random(rng, 8 * FEATURES);
    const mine = ours(0.99, gamma, beta);
    const layer = keras(0.99, gamma, beta);
    const [gamma2, beta2] = layer.trainableWeights.map((v) => v.read() as Variable);
    const grads = (apply: (t: Tensor) => Tensor, params: Variable[]) =>
      tf.tidy(() => {
        const input = tf.variable(tf.tensor2d(x, [8, FEATURES]));
        const { grads: g } = tf.variableGrads(() => tf.sum(tf.mul(tf.tanh(apply(input)), tf.tensor2d(w, [8, FEATURES]))), [input, ...params]);
        const out = [input, ...params].map((v) => read(g[v.name]));
        input.dispose();
        return out;
      });
    const a = grads((t) => mine.bn.apply(tf, "h", t, mine.get, true), [mine.vars["h.gamma"], mine.vars["h.beta"]]);
    const b = grads((t) => layer.apply(t, { training: true }) as Tensor, [gamma2, beta2]);
    for (let k = 0; k < 3; k++) {
      expectClose(a[k], b[k]);
      expect(a[k].some((v) => Math.abs(v) > 1e-3)).toBe(true);
    }
    // Σ over the batch of ∂L/∂x is 0 per feature in training mode: the batch mean absorbs shifts.
    for (let f = 0; f < FEATURES; f++) expect(Math.abs(a[0].filter((_, i) => i % FEATURES === f).reduce((s, v) => s + v, 0))).toBeLessThan(1e-5);
  });

  it.runIf(backend === "wasm")("needs no kernel the wasm backend lacks (forward and backward, as profiled on tfjs 4.22)", () => {
    const used = ["Add", "Cast", "FusedBatchNorm", "Identity", "Mean", "Multiply", "Neg", "RealDiv", "Reshape", "Rsqrt", "Square", "Sub", "Sum", "Tile"];
    const have = new Set(tf.getKernelsForBackend("wasm").map((k) => k.kernelName));
    expect(used.filter((k) => !have.has(k)), "kernels batch norm's gradient needs but wasm lacks: register JS ones in tf-backend.ts").toEqual([]);
  });

  it("round-trips its moving statistics and rejects a state without them", () => {
    const rng = new Rng(5);
    const { bn, get } = ours(0.8, new Float32Array(FEATURES).fill(1), new Float32Array(FEATURES));
    tf.tidy(() => bn.apply(tf, "h", tf.tensor2d(random(rng, 6 * FEATURES, 1, 2), [6, FEATURES]), get, true));
    const copy = new BatchNorm(0.8);
    copy.declare("h", FEATURES);
    copy.load(bn.save());
    expect(copy.save()).toEqual(bn.save());
    const x = tf.tensor2d(random(rng, 2 * FEATURES), [2, FEATURES]);
    expect(tf.tidy(() => read(copy.apply(tf, "h", x, get, false)))).toEqual(tf.tidy(() => read(bn.apply(tf, "h", x, get, false))));
    x.dispose();
    expect(() => copy.load({ "batchNorm/h/movingMean": new Float32Array(3) })).toThrow(/batchNorm\/h\/movingMean/);
  });

  it("normalises the last axis of a 3-D input as it would the flattened rows", () => {
    const rng = new Rng(9);
    const { bn, get } = ours(0.99, new Float32Array(FEATURES).fill(1), new Float32Array(FEATURES));
    const x = random(rng, 2 * 3 * FEATURES);
    const [a, b] = tf.tidy(() => [read(bn.apply(tf, "h", tf.tensor3d(x, [2, 3, FEATURES]), get, false)), read(bn.apply(tf, "h", tf.tensor2d(x, [6, FEATURES]), get, false))]);
    expect(a).toEqual(b);
  });
});
