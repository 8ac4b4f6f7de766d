import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { causalAttention } from "@/lib/models/sequential/causal-attention";
import { fullSoftmaxCrossEntropy, layerNorm, type Tf } from "@/lib/models/sequential/tf-helpers";
import { loadTensorflow } from "@/lib/training/tf-backend";
import { Rng } from "@/lib/util/rng";

// The hand-written forward and backward passes against the same functions as plain tf ops
// differentiated by tfjs's autodiff, on random inputs.

let tf: Tf;
beforeAll(async () => {
  tf = (await loadTensorflow()).tf;
});

function randomTensor(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
}

/** Value of Σ f(inputs) · weights and its gradients with respect to every input. */
function valueAndGrads(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], weights: Tensor): { value: number[]; grads: number[][] } {
  return tf.tidy(() => {
    const g = tf.grads((...xs: Tensor[]) => tf.sum(tf.mul(f(...xs), weights)));
    return { value: Array.from(f(...inputs).dataSync()), grads: g(inputs).map((t) => Array.from(t.dataSync())) };
  });
}

function expectClose(actual: number[], expected: number[], tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]) / (1 + Math.abs(expected[i]))));
  expect(worst).toBeLessThan(tolerance);
}

describe("fused sequential-model ops match tf autodiff", () => {
  it("layerNorm: forward and the gradients of x, γ and β", () => {
    const x = randomTensor([3, 4, 8], 1), gamma = randomTensor([8], 2), beta = randomTensor([8], 3), w = randomTensor([3, 4, 8], 4);
    const reference = (xs: Tensor, g: Tensor, b: Tensor) => {
      const { mean, variance } = tf.moments(xs, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(xs, mean), tf.sqrt(tf.add(variance, 1e-8))), g), b);
    };
    const fused = valueAndGrads((xs, g, b) => layerNorm(tf, xs, g as Tensor1D, b as Tensor1D), [x, gamma, beta], w);
    const plain = valueAndGrads(reference, [x, gamma, beta], w);
    expectClose(fused.value, plain.value);
    fused.grads.forEach((g, i) => expectClose(g, plain.grads[i]));
  });

  it("causalAttention without dropout: forward, gradients of q, k, v, and the probabilities it reports", () => {
    const [B, L, d] = [2, 5, 4];
    const q = randomTensor([B, L, d], 5), k = randomTensor([B, L, d], 6), v = randomTensor([B, L, d], 7), w = randomTensor([B, L, d], 8);
    const mask = new Float32Array(L * L);
    for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) mask[i * L + j] = -1e9;
    const reference = (qs: Tensor, ks: Tensor, vs: Tensor) =>
      tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(qs as Tensor3D, ks as Tensor3D, false, true), 1 / Math.sqrt(d)), tf.tensor2d(mask, [L, L]))) as Tensor3D, vs as Tensor3D);
    const fused = valueAndGrads((qs, ks, vs) => causalAttention(tf, qs as Tensor3D, ks as Tensor3D, vs as Tensor3D, 0.5, null), [q, k, v], w);
    const plain = valueAndGrads(reference, [q, k, v], w);
    expectClose(fused.value, plain.value);
    fused.grads.forEach((g, i) => expectClose(g, plain.grads[i]));
    const captured: Tensor[] = [];
    tf.tidy(() => causalAttention(tf, q as Tensor3D, k as Tensor3D, v as Tensor3D, 0, null, captured));
    const p = captured[0].arraySync() as number[][][];
    tf.dispose(captured);
    expect(p[1][0]).toEqual([1, 0, 0, 0, 0]); // the first query sees only itself
    for (const row of p[0]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("causalAttention with dropout repeats itself for the same generator and keeps the expected scale", () => {
    const q = randomTensor([4, 6, 4], 9), k = randomTensor([4, 6, 4], 10), v = tf.ones([4, 6, 4]);
    const run = (seed: number) => tf.tidy(() => Array.from(causalAttention(tf, q as Tensor3D, k as Tensor3D, v as Tensor3D, 0.5, new Rng(seed)).dataSync()));
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
    // With v = 1 every output is the sum of a row's kept probabilities × 2: 1 on average.
    const mean = run(3).reduce((a, b) => a + b, 0) / (4 * 6 * 4);
    expect(mean).toBeGreaterThan(0.6);
    expect(mean).toBeLessThan(1.4);
  });

  it("fullSoftmaxCrossEntropy: the mean loss and the gradients of h and the item vectors", () => {
    const h = randomTensor([6, 4], 11), items = randomTensor([9, 4], 12);
    const targets = Int32Array.from([0, 3, 8, 3, 5, 1]);
    const reference = (hs: Tensor, is: Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(targets, "int32"), 9), tf.matMul(hs as Tensor2D, is as Tensor2D, false, true));
    const fused = valueAndGrads((hs, is) => fullSoftmaxCrossEntropy(tf, hs as Tensor2D, is as Tensor2D, targets), [h, items], tf.scalar(1));
    const plain = valueAndGrads(reference, [h, items], tf.scalar(1));
    expectClose(fused.value, plain.value);
    fused.grads.forEach((g, i) => expectClose(g, plain.grads[i]));
  });
});
