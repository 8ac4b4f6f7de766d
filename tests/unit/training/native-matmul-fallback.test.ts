import { describe, expect, it } from "vitest";
import { Rng } from "@/lib/util/rng";

// Set before the first import of the backend: RECLAB_LINALG_KERNEL=wasm never loads the addon, so
// tf.matMul stays on XNNPACK (this file runs in its own module registry).
process.env.RECLAB_LINALG_KERNEL = "wasm";
const { loadTensorflow, matMulFast } = await import("@/lib/training/tf-backend");
const { nativeMatMulActive } = await import("@/lib/training/native-matmul");
const { batchMatMul } = await import("@/lib/training/wasm-batch-matmul");
const { tf } = await loadTensorflow();

describe("tf.matMul with RECLAB_LINALG_KERNEL=wasm", () => {
  it("stays on the backend's own kernel, with the same values and matMulFast gradients", () => {
    expect(nativeMatMulActive()).toBe(false);
    const rng = new Rng(11);
    const [m, k, n] = [9, 31, 7];
    const av = Float32Array.from({ length: m * k }, () => rng.normal()), bv = Float32Array.from({ length: k * n }, () => rng.normal());
    const [value, ga, gb] = tf.tidy(() => {
      const a = tf.tensor2d(av, [m, k]), b = tf.tensor2d(bv, [k, n]);
      const [dA, dB] = tf.grads((x, y) => tf.sum(matMulFast(tf, x, y)))([a, b]);
      return [matMulFast(tf, a, b), dA, dB].map((t) => Float32Array.from(t.dataSync()));
    });
    for (const [r, q] of [[0, 0], [4, 5], [8, 6]]) {
      let s = 0;
      for (let t = 0; t < k; t++) s += av[r * k + t] * bv[t * n + q];
      expect(value[r * n + q]).toBeCloseTo(s, 4);
    }
    // d Σ(A·B) / dA[r][t] = Σ_q B[t][q]; / dB[t][q] = Σ_r A[r][t].
    let rowSum = 0, colSum = 0;
    for (let q = 0; q < n; q++) rowSum += bv[3 * n + q];
    for (let r = 0; r < m; r++) colSum += av[r * k + 3];
    expect(ga[2 * k + 3]).toBeCloseTo(rowSum, 4);
    expect(gb[3 * n + 1]).toBeCloseTo(colSum, 4);
  });
});

describe("batchMatMul with RECLAB_LINALG_KERNEL=wasm", () => {
  it("runs the per-element XNNPACK kernel (the native matMul replaces it where built) with tf.matMul's values", () => {
    const rng = new Rng(12);
    const [b, m, k, n] = [5, 7, 6, 4];
    const av = Float32Array.from({ length: b * m * k }, () => rng.normal()), cv = Float32Array.from({ length: b * k * n }, () => rng.normal());
    const [fast, plain] = tf.tidy(() => {
      const a = tf.tensor3d(av, [b, m, k]), c = tf.tensor3d(cv, [b, k, n]);
      return [batchMatMul(tf, a, c), tf.matMul(a, c)].map((t) => Float32Array.from(t.dataSync()));
    });
    for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(plain[i], 4);
  });
});
