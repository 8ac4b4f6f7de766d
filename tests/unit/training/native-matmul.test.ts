import { describe, expect, it } from "vitest";
import type { Tensor } from "@tensorflow/tfjs";
import { nativeLinalg } from "@/lib/models/linalg/native-kernel";
import { nativeMatMulActive } from "@/lib/training/native-matmul";
import { loadTensorflow, matMulConstInput, matMulFast, type Tf } from "@/lib/training/tf-backend";
import { Rng } from "@/lib/util/rng";

/**
 * tf.matMul on the native kernel (lib/training/native-matmul.ts) against a float64 reference
 * computed here, for every transpose combination, batch and broadcast shape, and sizes that cross
 * the kernel's tiles and blocks (rows not a multiple of the tile, k past a k-block, columns past a
 * packed block). Runs where the addon is built and the wasm backend loaded (`npm ci` builds it).
 */

const { tf, backend }: { tf: Tf; backend: string } = await loadTensorflow();
const native = backend === "wasm" && nativeLinalg()?.addon.matmul_f32 !== undefined;

function random(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** C = op(A)·op(B) in float64 with numpy-style broadcasting of the batch dimensions, and Σ|a·b| per entry (the error scale). */
function reference(av: Float32Array, aShape: number[], bv: Float32Array, bShape: number[], ta: boolean, tb: boolean) {
  const ra = aShape.length, rb = bShape.length;
  const m = ta ? aShape[ra - 1] : aShape[ra - 2], k = ta ? aShape[ra - 2] : aShape[ra - 1];
  const n = tb ? bShape[rb - 2] : bShape[rb - 1];
  const outerA = aShape.slice(0, -2), outerB = bShape.slice(0, -2);
  const batchA = sizeOf(outerA), batchB = sizeOf(outerB), batch = Math.max(batchA, batchB);
  const c = new Float64Array(batch * m * n), scale = new Float64Array(batch * m * n);
  for (let p = 0; p < batch; p++) {
    const ao = (batchA === 1 ? 0 : p) * m * k, bo = (batchB === 1 ? 0 : p) * k * n;
    for (let r = 0; r < m; r++) {
      for (let q = 0; q < n; q++) {
        let s = 0, abs = 0;
        for (let t = 0; t < k; t++) {
          const x = av[ao + (ta ? t * m + r : r * k + t)], y = bv[bo + (tb ? q * k + t : t * n + q)];
          s += x * y;
          abs += Math.abs(x * y);
        }
        c[(p * m + r) * n + q] = s;
        scale[(p * m + r) * n + q] = abs;
      }
    }
  }
  return { c, scale };
}

function expectMatches(got: Float32Array, ref: { c: Float64Array; scale: Float64Array }) {
  expect(got.length).toBe(ref.c.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref.c[i]) / (ref.scale[i] + 1e-6));
  // float32 sums of k products: relative error ≲ k · 2⁻²⁴ of Σ|a·b|.
  expect(worst).toBeLessThan(1e-5);
}

describe.runIf(native)("tf.matMul on the native kernel", () => {
  it("is registered over the wasm backend's BatchMatMul", () => {
    expect(nativeMatMulActive()).toBe(true);
  });

  const shapes = [
    { label: "1 × 1 × 1", m: 1, k: 1, n: 1 },
    { label: "odd sizes 13 × 37 × 29", m: 13, k: 37, n: 29 },
    { label: "a dense layer 800 × 64 × 64", m: 800, k: 64, n: 64 },
    { label: "k past a k-block (600)", m: 25, k: 600, n: 33 },
    { label: "columns past a packed block (1,100)", m: 14, k: 40, n: 1100 },
    { label: "one row, long k", m: 1, k: 777, n: 3 },
  ];
  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;
  it.each(shapes.flatMap((s) => flags.map(([ta, tb]) => ({ ...s, ta, tb }))))("2-D $label, transposeA $ta, transposeB $tb", ({ m, k, n, ta, tb }) => {
    const rng = new Rng(m * 1000 + k + n);
    const aShape = ta ? [k, m] : [m, k], bShape = tb ? [n, k] : [k, n];
    const av = random(rng, m * k), bv = random(rng, k * n);
    const got = tf.tidy(() => Float32Array.from(tf.matMul(tf.tensor(av, aShape) as never, tf.tensor(bv, bShape) as never, ta, tb).dataSync()));
    expectMatches(got, reference(av, aShape, bv, bShape, ta, tb));
  });

  it.each([
    { label: "batched attention scores [16, 50, 64] · [16, 50, 64]ᵀ", a: [16, 50, 64], b: [16, 50, 64], ta: false, tb: true, out: [16, 50, 50] },
    { label: "batched [3, 5, 70] · [3, 70, 33]", a: [3, 5, 70], b: [3, 70, 33], ta: false, tb: false, out: [3, 5, 33] },
    { label: "batched, A transposed [4, 9, 6]ᵀ · [4, 9, 5]", a: [4, 9, 6], b: [4, 9, 5], ta: true, tb: false, out: [4, 6, 5] },
    { label: "A broadcast [1, 5, 7] · [4, 7, 3]", a: [1, 5, 7], b: [4, 7, 3], ta: false, tb: false, out: [4, 5, 3] },
    { label: "B broadcast [4, 5, 7] · [7, 3]", a: [4, 5, 7], b: [7, 3], ta: false, tb: false, out: [4, 5, 3] },
    { label: "rank 4 [2, 3, 4, 5] · [2, 3, 5, 6]", a: [2, 3, 4, 5], b: [2, 3, 5, 6], ta: false, tb: false, out: [2, 3, 4, 6] },
  ])("$label", ({ a, b, ta, tb, out }) => {
    const rng = new Rng(7);
    const av = random(rng, sizeOf(a)), bv = random(rng, sizeOf(b));
    const { values, shape } = tf.tidy(() => {
      const c = tf.matMul(tf.tensor(av, a) as never, tf.tensor(bv, b) as never, ta, tb);
      return { values: Float32Array.from(c.dataSync()), shape: c.shape };
    });
    expect(shape).toEqual(out);
    expectMatches(values, reference(av, a, bv, b, ta, tb));
  });

  it("k = 0 gives zeros", () => {
    const c = tf.matMul(tf.zeros([3, 0]) as never, tf.zeros([0, 4]) as never);
    expect(c.shape).toEqual([3, 4]);
    expect(Array.from(c.dataSync())).toEqual(new Array(12).fill(0));
    c.dispose();
  });

  it("sums each entry in one fixed order: a row alone, or transposed operands, give the same bits", () => {
    const rng = new Rng(8);
    const [m, k, n] = [40, 700, 90];
    const av = random(rng, m * k), bv = random(rng, k * n);
    const [whole, row, flipped] = tf.tidy(() => {
      const a = tf.tensor2d(av, [m, k]), b = tf.tensor2d(bv, [k, n]);
      const c = tf.matMul(a, b);
      const r = tf.matMul(tf.slice(a, [17, 0], [1, k]), b);
      const f = tf.matMul(tf.transpose(a), tf.transpose(b), true, true);
      return [c, r, f].map((t) => Float32Array.from(t.dataSync()));
    });
    expect(row).toEqual(whole.subarray(17 * n, 18 * n));
    expect(flipped).toEqual(whole);
  });

  it("is correct when its output grows the wasm heap (views taken after the allocation)", () => {
    const rng = new Rng(9);
    const [m, k, n] = [1500, 8, 5000]; // a 30 MB output
    const av = random(rng, m * k), bv = random(rng, k * n);
    const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    const before = heap();
    const c = tf.matMul(tf.tensor2d(av, [m, k]), tf.tensor2d(bv, [k, n]));
    const got = c.dataSync() as Float32Array;
    for (const [r, q] of [[0, 0], [m - 1, n - 1], [777, 4321], [1499, 0]]) {
      let s = 0;
      for (let t = 0; t < k; t++) s += av[r * k + t] * bv[t * n + q];
      expect(got[r * n + q]).toBeCloseTo(s, 4);
    }
    expect(heap()).toBeGreaterThanOrEqual(before);
    tf.dispose(c);
  });

  it("gradients through matMulFast and matMulConstInput equal tf.matMul's", () => {
    const rng = new Rng(10);
    const [m, k, n] = [37, 300, 21];
    const av = random(rng, m * k), bv = random(rng, k * n), wv = random(rng, m * n);
    const grads = (mm: (x: Tensor, y: Tensor) => Tensor) =>
      tf.tidy(() => {
        const a = tf.tensor2d(av, [m, k]), b = tf.tensor2d(bv, [k, n]), w = tf.tensor2d(wv, [m, n]);
        return tf.grads((x: Tensor, y: Tensor) => tf.sum(tf.mul(tf.tanh(mm(x, y)), w)))([a, b]).map((t) => Float32Array.from(t.dataSync()));
      });
    const plain = grads((x, y) => tf.matMul(x, y));
    const fast = grads((x, y) => matMulFast(tf, x, y));
    const constInput = grads((x, y) => matMulConstInput(tf, x, y));
    // The same products in the same order: bit for bit.
    expect(fast[0]).toEqual(plain[0]);
    expect(fast[1]).toEqual(plain[1]);
    expect(constInput[1]).toEqual(plain[1]);
    expect(Array.from(constInput[0]).every((v) => v === 0)).toBe(true);
  });

  it("holds no tensors and grows no heap across many calls", () => {
    const a = tf.randomNormal([8, 20, 16]), b = tf.randomNormal([8, 20, 16]);
    const run = () => tf.dispose(tf.matMul(a, b, false, true));
    for (let i = 0; i < 50; i++) run();
    const { numTensors, numBytes } = tf.memory();
    const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    for (let i = 0; i < 2000; i++) run();
    expect(tf.memory()).toMatchObject({ numTensors, numBytes });
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length).toBe(heap);
    tf.dispose([a, b]);
  });
});

describe.runIf(native)("the addon's matmul_f32 guards the memory it is given", () => {
  const matmul = nativeLinalg()!.addon.matmul_f32!;
  const view = new Uint8Array(4 * 100);
  it.each([
    { label: "C past the end", args: [4 * 90, 0, 0, 1, 4, 4, 1, 1, 1, 1, 1, 0, 0, 16] },
    { label: "A past the end (its k stride)", args: [0, 4 * 50, 0, 1, 2, 2, 20, 1, 5, 1, 1, 0, 0, 4] },
    { label: "B past the end (its batch stride)", args: [0, 0, 4 * 40, 3, 2, 2, 2, 2, 1, 1, 2, 0, 30, 4] },
    { label: "a misaligned offset", args: [2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1] },
    { label: "a negative stride", args: [0, 0, 0, 1, 1, 1, 1, -1, 1, 1, 1, 0, 0, 1] },
  ])("throws on $label", ({ args }) => {
    expect(() => (matmul as (...x: unknown[]) => void)(view, ...args)).toThrow(RangeError);
  });

  it("computes a 2 × 2 product at byte offsets", () => {
    const f = new Float32Array(view.buffer);
    f.set([1, 2, 3, 4], 0); // A [2, 2]
    f.set([5, 6, 7, 8], 4); // B [2, 2], row-major [k, n]
    matmul(view, 4 * 8, 0, 4 * 4, 1, 2, 2, 2, 2, 1, 1, 2, 0, 0, 4);
    expect(Array.from(f.subarray(8, 12))).toEqual([19, 22, 43, 50]);
  });
});
