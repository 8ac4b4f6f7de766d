import { describe, expect, it } from "vitest";
import { nativeLinalg } from "@/lib/models/linalg/native-kernel";
import { addRowsLoop, type SparseRows } from "@/lib/models/deep/sparse-input";
import { adamLoop } from "@/lib/training/optimizers";
import { neumfKernelsJs } from "@/lib/models/deep/neumf-kernels";
import { topKJs } from "@/lib/metrics/top-k";
import { aucJs } from "@/lib/metrics/beyond";
import { solveImplicitRowsJs } from "@/lib/models/als";
import { Rng } from "@/lib/util/rng";

/**
 * The native training and evaluation loops (native/linalg/*-kernels.h) against the JavaScript they replace:
 * bit for bit, so a run's numbers do not depend on whether the addon is built. Lengths that are
 * not a multiple of any vector width, values over many magnitudes, and repeated steps (the
 * moments feed back). Runs where the addon is built (`npm ci` builds it; CI checks it was).
 */
const addon = nativeLinalg()?.addon;
const adam = addon?.adam_f32, addRowsNative = addon?.add_rows_f32;

const values = (rng: Rng, n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.normal() * scale * 10 ** (rng.int(7) - 3));
const bitsEqual = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe.runIf(adam !== undefined)("adam_f32", () => {
  it.each([1, 15, 17, 1023, 40_001])("gives adamLoop's bits over 5 steps, with and without weight decay (n = %i)", (n) => {
    for (const decay of [0, 3e-4]) {
      const rng = new Rng(n);
      const w = values(rng, n);
      const js = { w: w.slice(), m: new Float32Array(n), v: new Float32Array(n) };
      const native = { w: w.slice(), m: new Float32Array(n), v: new Float32Array(n) };
      for (let t = 1; t <= 5; t++) {
        const g = values(rng, n, 0.1);
        const alpha = (3e-3 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
        const outJs = new Float32Array(n), outNative = new Float32Array(n);
        adamLoop(outJs, js.w, js.m, js.v, g, alpha, 0.9, 0.999, 1e-7, decay);
        adam!(outNative, native.w, native.m, native.v, g, alpha, 0.9, 0.999, 1e-7, decay);
        expect(bitsEqual(outNative, outJs), `weights, step ${t}`).toBe(true);
        expect(bitsEqual(native.m, js.m) && bitsEqual(native.v, js.v), `moments, step ${t}`).toBe(true);
        js.w = outJs;
        native.w = outNative;
      }
      expect(Array.from(js.w).some((x, i) => x !== w[i])).toBe(true); // the weights moved
    }
  });

  it("rejects arrays of different lengths and non-float32 arrays", () => {
    const a = new Float32Array(4);
    expect(() => adam!(a, a, a, a, new Float32Array(3), 1, 0.9, 0.999, 1e-7, 0)).toThrow(/different lengths/);
    expect(() => adam!(a, a, a, a, new Float64Array(4) as unknown as Float32Array, 1, 0.9, 0.999, 1e-7, 0)).toThrow(/Float32Arrays/);
  });
});

/** A random CSR matrix of `rows` rows over `columns` columns, some values 0 (dropped), one repeated column per row. */
function sparse(rng: Rng, rows: number, columns: number): SparseRows {
  const indptr = new Int32Array(rows + 1), indices: number[] = [], vals: number[] = [];
  for (let r = 0; r < rows; r++) {
    const count = rng.int(12);
    for (let p = 0; p < count; p++) {
      indices.push(rng.int(columns));
      vals.push(rng.int(4) === 0 ? 0 : rng.normal());
    }
    indptr[r + 1] = indices.length;
  }
  return { indptr, indices: Int32Array.from(indices), values: Float32Array.from(vals) };
}

describe.runIf(addRowsNative !== undefined)("add_rows_f32", () => {
  it.each([1, 7, 33, 200])("gives addRowsLoop's bits in both directions (width %i)", (width) => {
    const rng = new Rng(width);
    const rows = 9, columns = 13, x = sparse(rng, rows, columns);
    for (const direction of ["gather", "scatter"] as const) {
      const [srcRows, dstRows] = direction === "gather" ? [columns, rows] : [rows, columns];
      const src = values(rng, srcRows * width), start = values(rng, dstRows * width);
      const js = start.slice(), native = start.slice();
      addRowsLoop(x, src, js, width, direction);
      addRowsNative!(x.indptr, x.indices, x.values, src, native, width, direction === "scatter" ? 1 : 0);
      expect(bitsEqual(native, js), direction).toBe(true);
      expect(bitsEqual(js, start), `${direction} changed something`).toBe(false);
    }
  });

  it("rejects an out-of-range column or a malformed indptr and writes nothing", () => {
    const x: SparseRows = { indptr: Int32Array.of(0, 1, 2), indices: Int32Array.of(0, 5), values: Float32Array.of(1, 1) };
    const src = new Float32Array(5 * 2).fill(1), dst = new Float32Array(2 * 2);
    expect(() => addRowsNative!(x.indptr, x.indices, x.values, src, dst, 2, 0)).toThrow(/column index out of range/);
    expect(() => addRowsNative!(Int32Array.of(0, 3), x.indices, x.values, src, dst, 2, 0)).toThrow(/malformed CSR/);
    expect(Array.from(dst)).toEqual([0, 0, 0, 0]);
  });
});

describe.runIf(addon?.gather_add_relu_backward_f32 !== undefined)("NeuMF's native layer kernels", () => {
  const js = neumfKernelsJs;
  const rng = new Rng(21);
  const U = 7, I = 11, w = 19, n = 23; // w: not a multiple of any vector width
  const users = Int32Array.from({ length: n }, () => rng.int(U)), items = Int32Array.from({ length: n }, () => rng.int(I));
  const userRows = values(rng, U * w), itemRows = values(rng, I * w), bias = values(rng, w);
  const d = values(rng, n * w), m = values(rng, w);

  it("gather + add + relu, and its backward (scatter into both tables, bias sums)", () => {
    const hJs = new Float32Array(n * w), hNative = new Float32Array(n * w);
    js.gatherAddRelu(userRows, users, itemRows, items, bias, w, n, hJs);
    addon!.gather_add_relu_f32!(userRows, users, itemRows, items, bias, w, n, hNative);
    expect(bitsEqual(hNative, hJs)).toBe(true);
    expect(hJs.some((x) => x === 0) && hJs.some((x) => x > 0)).toBe(true); // both sides of the relu
    const a = { d: d.slice(), u: values(rng, U * w), i: values(rng, I * w), b: values(rng, w) };
    const b = { d: a.d.slice(), u: a.u.slice(), i: a.i.slice(), b: a.b.slice() };
    js.gatherAddReluBackward(a.d, hJs, users, items, w, n, a.u, a.i, a.b);
    addon!.gather_add_relu_backward_f32!(b.d, hJs, users, items, w, n, b.u, b.i, b.b);
    for (const k of ["d", "u", "i", "b"] as const) expect(bitsEqual(b[k], a[k]), k).toBe(true);
  });

  it("scoring's users × every item relu and the fused last layer · output weights", () => {
    const batch = Int32Array.of(3, 0, 6);
    const hJs = new Float32Array(batch.length * I * w), hNative = hJs.slice();
    js.userByItemsRelu(userRows, batch, itemRows, I, bias, w, hJs);
    addon!.user_by_items_relu_f32!(userRows, batch, itemRows, I, bias, w, hNative);
    expect(bitsEqual(hNative, hJs)).toBe(true);
    const outJs = new Float32Array(n), outNative = new Float32Array(n);
    js.biasReluDot(d, bias, m, w, n, outJs);
    addon!.bias_relu_dot_f32!(d, bias, m, w, n, outNative);
    expect(bitsEqual(outNative, outJs)).toBe(true);
  });

  it("bias + relu in place and its backward", () => {
    const zJs = d.slice(), zNative = d.slice();
    js.biasRelu(zJs, bias, w, n);
    addon!.bias_relu_f32!(zNative, bias, w, n);
    expect(bitsEqual(zNative, zJs)).toBe(true);
    const a = { d: values(rng, n * w), b: values(rng, w) }, b = { d: a.d.slice(), b: a.b.slice() };
    js.reluBackward(a.d, zJs, w, n, a.b);
    addon!.relu_backward_f32!(b.d, zJs, w, n, b.b);
    expect(bitsEqual(b.d, a.d) && bitsEqual(b.b, a.b)).toBe(true);
  });

  it("the output head's per-pair sums and its gradient loop", () => {
    const f = w, gmfOut = values(rng, f), mlpOut = values(rng, f), h = values(rng, n * f);
    const sums = () => [new Float64Array(n), new Float64Array(n), new Float64Array(n)] as const;
    const a = sums(), b = sums();
    js.headDots(users, items, userRows, itemRows, gmfOut, h, mlpOut, f, n, ...a);
    addon!.neumf_head_dots_f32!(users, items, userRows, itemRows, gmfOut, h, mlpOut, f, n, ...b);
    a.forEach((x, k) => expect(Buffer.from(b[k].buffer).equals(Buffer.from(x.buffer)), `sum ${k}`).toBe(true));
    const dGmf = Float64Array.from(values(rng, n, 0.01)), dMlp = Float64Array.from(values(rng, n, 0.01));
    const grads = () => [new Float32Array(n * f), values(new Rng(1), U * f), values(new Rng(2), I * f), values(new Rng(3), f), values(new Rng(4), f)] as const;
    const gj = grads(), gn = grads();
    js.headGrads(users, items, userRows, itemRows, gmfOut, h, mlpOut, f, n, dGmf, dMlp, 0.02, ...gj);
    addon!.neumf_head_grads_f32!(users, items, userRows, itemRows, gmfOut, h, mlpOut, f, n, dGmf, dMlp, 0.02, ...gn);
    gj.forEach((x, k) => expect(bitsEqual(gn[k], x), `gradient ${k}`).toBe(true));
  });

  it("the L2 penalty on looked-up rows, weighted by lookups (value and gradient)", () => {
    const counts = Int32Array.from({ length: U }, (_, r) => (r % 3 === 0 ? 0 : r)), d = w;
    const gradJs = values(rng, U * d), gradNative = gradJs.slice();
    const a = js.countedRowPenalty(userRows, counts, d, 0.01 / n, gradJs);
    const b = addon!.counted_row_penalty_f32!(userRows, counts, d, 0.01 / n, gradNative);
    expect(b).toBe(a);
    expect(bitsEqual(gradNative, gradJs)).toBe(true);
  });

  it("rejects a user or item index outside its table and writes nothing", () => {
    const h = new Float32Array(n * w);
    const bad = users.slice();
    bad[5] = U;
    expect(() => addon!.gather_add_relu_f32!(userRows, bad, itemRows, items, bias, w, n, h)).toThrow(/out of bounds/);
    expect(() => addon!.gather_add_relu_backward_f32!(d.slice(), h, users, bad, w, n, new Float32Array(U * w), new Float32Array(U * w), new Float32Array(w))).toThrow(/out of bounds/);
    expect(h.every((x) => x === 0)).toBe(true);
  });
});

describe.runIf(addon?.mask_in_place_f32 !== undefined)("NeuMF's native dropout kernels", () => {
  const js = neumfKernelsJs;
  const rng = new Rng(31);

  it("draws the JavaScript's xorshift32 words and returns the same next state", () => {
    for (const start of [1, -1, 0x6d2b79f5, -0x7fffffff]) {
      const a = new Uint32Array(1_001), b = new Uint32Array(1_001);
      const nextJs = js.xorshiftFill(a, start);
      const nextNative = addon!.xorshift_fill_u32!(b, start >>> 0) | 0;
      expect(nextNative).toBe(nextJs);
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(new Set(a).size).toBeGreaterThan(990); // not a constant stream
    }
  });

  it("applies a mask and a scale in place with the JavaScript's bits", () => {
    const size = 4 * 97 + 3; // not a multiple of any vector width
    const bytes = Uint8Array.from({ length: size }, () => rng.int(256));
    const scale = Math.fround(256 / 205);
    const multiplier = Float32Array.from({ length: 256 }, (_, b) => (b < 51 ? 0 : scale));
    const x = values(rng, size).map(Math.abs);
    const a = x.slice(), b = x.slice();
    js.maskInPlace(a, bytes, multiplier);
    addon!.mask_in_place_f32!(b, bytes, multiplier);
    expect(bitsEqual(b, a)).toBe(true);
    expect(a.some((v) => v === 0) && a.some((v, k) => v !== 0 && v !== x[k])).toBe(true); // drops and scaled keeps
    js.scaleInPlace(a, scale);
    addon!.scale_in_place_f32!(b, scale);
    expect(bitsEqual(b, a)).toBe(true);
  });

  it("rejects a mask shorter than its activations or a short table, and writes nothing", () => {
    const x = new Float32Array(8).fill(1);
    expect(() => addon!.mask_in_place_f32!(x, new Uint8Array(7), new Float32Array(256))).toThrow(/out of bounds/);
    expect(() => addon!.mask_in_place_f32!(x, new Uint8Array(8), new Float32Array(255))).toThrow(/out of bounds/);
    expect(() => addon!.xorshift_fill_u32!(new Uint32Array(2), -1)).toThrow(/uint32/);
    expect(Array.from(x)).toEqual(Array(8).fill(1));
  });
});

describe.runIf(addon?.top_k_f32 !== undefined && addon?.auc_f32 !== undefined)("native evaluation kernels", () => {
  /** Rows with ties (scores on a coarse grid), masked items (−∞) and NaN, as evaluation sees them. */
  function rows(rng: Rng, count: number, length: number): Float32Array {
    return Float32Array.from({ length: count * length }, () => {
      const x = rng.next();
      return x < 0.1 ? -Infinity : x < 0.12 ? NaN : Math.round(rng.normal() * 8) / 8;
    });
  }

  it.each([1, 10, 20, 64, 100, 2000])("top-K gives topKJs's list, ties to the lower item (k = %i)", (k) => {
    const rng = new Rng(k), length = 500, count = 12, scores = rows(rng, count, length);
    for (let r = 0; r < count; r++) {
      const js = new Int32Array(Math.min(k, length)), native = js.slice();
      const nJs = topKJs(scores, r * length, length, k, js);
      const nNative = addon!.top_k_f32!(scores, r * length, length, k, native);
      expect(nNative).toBe(nJs);
      expect(Array.from(native.subarray(0, nNative))).toEqual(Array.from(js.subarray(0, nJs)));
    }
  });

  it("AUC gives aucJs's value, with repeated, masked and tied positives", () => {
    const rng = new Rng(3), length = 300, count = 20, scores = rows(rng, count, length);
    for (let r = 0; r < count; r++) {
      // Few positives (one counting pass each) and many (a binary search per item).
      const positives = Int32Array.from({ length: r % 2 ? 1 + rng.int(15) : 49 + rng.int(100) }, () => rng.int(length));
      const js = aucJs(scores, r * length, length, positives), native = addon!.auc_f32!(scores, r * length, length, positives);
      if (Number.isNaN(js)) expect(native).toBeNaN();
      else expect(native).toBe(js);
    }
    expect(addon!.auc_f32!(scores, 0, length, new Int32Array(0))).toBeNaN(); // no positive
  });

  it("rejects a row outside the scores and a positive outside the row", () => {
    const scores = new Float32Array(10);
    expect(() => addon!.top_k_f32!(scores, 5, 10, 3, new Int32Array(3))).toThrow(/within bounds/);
    expect(() => addon!.auc_f32!(scores, 0, 10, Int32Array.of(10))).toThrow(/outside the row/);
  });
});

describe.runIf(addon?.solve_implicit_rows_f32 !== undefined)("implicit ALS's native half-sweep", () => {
  it.each([
    ["no prior", false],
    ["a prior (ConvMF)", true],
  ])("gives solveImplicitRowsJs's factors and objective bit for bit (%s)", (_label, withPrior) => {
    const rng = new Rng(withPrior ? 8 : 9);
    const rowsN = 30, cols = 40, f = 13;
    const indptr = new Int32Array(rowsN + 1), indices: number[] = [], vals: number[] = [];
    for (let r = 0; r < rowsN; r++) {
      const n = r % 7 === 0 ? 0 : 1 + rng.int(9); // some empty rows
      const seen = new Set<number>();
      while (seen.size < n) seen.add(rng.int(cols));
      for (const c of [...seen].sort((a, b) => a - b)) indices.push(c), vals.push(1 + rng.int(4));
      indptr[r + 1] = indices.length;
    }
    const rows = { numRows: rowsN, numCols: cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(vals) };
    const fixed = values(rng, cols * f, 0.1), start = values(rng, rowsN * f, 0.1);
    const o = { dim: f, regularization: 2.5, alpha: 3, cgSteps: 4, ...(withPrior ? { prior: values(rng, rowsN * f, 0.1) } : {}) };
    const js = start.slice(), native = start.slice();
    const objectiveJs = solveImplicitRowsJs(js, fixed, rows as never, o);
    const objectiveNative = addon!.solve_implicit_rows_f32!(native, fixed, rows.indptr, rows.indices, rows.values, rowsN, f, 2.5, 3, 4, o.prior ?? null);
    expect(bitsEqual(native, js)).toBe(true);
    expect(objectiveNative).toBe(objectiveJs);
    expect(bitsEqual(js, start)).toBe(false);
  });

  it("rejects a column outside the fixed factors", () => {
    const f = 2, fixed = new Float32Array(3 * f), target = new Float32Array(f);
    expect(() => addon!.solve_implicit_rows_f32!(target, fixed, Int32Array.of(0, 1), Int32Array.of(3), Float32Array.of(1), 1, f, 1, 1, 2, null)).toThrow(/column index out of range/);
  });
});

describe.runIf(addon?.relu_max_over_time_f32 !== undefined)("max over time of the ReLU", () => {
  it("keeps the first maximum above 0 and its flat index, as the JavaScript kernel", () => {
    const rng = new Rng(12), b = 4, T = 9, F = 21;
    const x = Float32Array.from({ length: b * T * F }, () => Math.round(rng.normal() * 4) / 4); // ties and negatives
    const out = new Float32Array(b * F), arg = new Int32Array(b * F).fill(-1);
    addon!.relu_max_over_time_f32!(x, b, T, F, out, arg);
    for (let i = 0; i < b; i++) {
      for (let f = 0; f < F; f++) {
        let best = 0, at = -1;
        for (let t = 0; t < T; t++) if (x[(i * T + t) * F + f] > best) (best = x[(i * T + t) * F + f]), (at = (i * T + t) * F + f);
        expect([out[i * F + f], arg[i * F + f]]).toEqual([best, at]);
      }
    }
    expect(() => addon!.relu_max_over_time_f32!(x, b, T + 1, F, out, arg)).toThrow(/out of bounds/);
  });
});

describe.runIf(addon?.scatter_rows_f32 !== undefined)("the gradient of a row gather", () => {
  it("adds each row of g to its table row (padding skipped, repeats accumulate), the JavaScript's sums", () => {
    const rng = new Rng(13), rows = 6, d = 19, indices = Int32Array.from([0, 3, 3, 5, 0, 2, 3, 1, 0]);
    const g = values(rng, indices.length * d), start = values(rng, rows * d);
    const js = start.slice(), native = start.slice();
    indices.forEach((r, i) => {
      if (r !== 0) for (let j = 0; j < d; j++) js[r * d + j] += g[i * d + j];
    });
    addon!.scatter_rows_f32!(indices, 0, g, native, d);
    expect(bitsEqual(native, js)).toBe(true);
    expect(() => addon!.scatter_rows_f32!(Int32Array.of(6), 0, g, native, d)).toThrow(/out of bounds/);
  });
});
