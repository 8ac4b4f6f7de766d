/**
 * The row-parallel inner kernels of the blocked Cholesky factorisation and inversion
 * (./cholesky.ts), as plain JavaScript source. The same text is compiled in the calling thread
 * (`new Function`) and in every worker thread (`new Worker(source, { eval: true })`), so no
 * bundler or TypeScript loader has to resolve a worker file, and each compiled copy only ever
 * sees one array type (monomorphic, so V8 keeps the loops tight).
 *
 * Matrices are n × n, row-major, in a Float64Array or Float32Array `a`. Packed panels and
 * accumulators are Float64Array: every dot product accumulates in float64 registers (JavaScript
 * numbers) and is rounded to the storage type only when written back to `a`.
 *
 * The hot loops are dot products of contiguous rows in 2 × 4 register tiles (8 accumulators +
 * 6 loads fit the 16 SSE registers V8 allocates), over column chunks sized to stay in L2.
 */
export const KERNEL_SOURCE = String.raw`
"use strict";

// a[i*n + j] += sign * <panel row (i-off), panel row (j-off)> over b, for rows i in [r0, r1) and
// columns j in [c0, i]. Panel rows have length b (packed, contiguous). Used by the Cholesky
// trailing update (sign -1) and by L^-T L^-1 (sign +1).
function syrkRows(a, n, panel, b, off, c0, r0, r1, sign) {
  const chunk = Math.max(4, ((32768 / b) | 0) & ~3);
  for (let jc = c0; jc < r1; jc += chunk) {
    const jEnd = Math.min(jc + chunk, r1);
    let i = Math.max(r0, jc);
    for (; i + 1 < r1; i += 2) {
      const pi = (i - off) * b, pk = pi + b;
      const jLast = Math.min(jEnd - 1, i + 1); // row i+1 reaches column i+1
      let j = jc;
      for (; j + 3 <= i && j + 3 < jEnd; j += 4) {
        const p0 = (j - off) * b, p1 = p0 + b, p2 = p1 + b, p3 = p2 + b;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (let t = 0; t < b; t++) {
          const x = panel[pi + t], y = panel[pk + t];
          const q0 = panel[p0 + t], q1 = panel[p1 + t], q2 = panel[p2 + t], q3 = panel[p3 + t];
          s00 += x * q0; s01 += x * q1; s02 += x * q2; s03 += x * q3;
          s10 += y * q0; s11 += y * q1; s12 += y * q2; s13 += y * q3;
        }
        const ri = i * n + j, rk = ri + n;
        a[ri] += sign * s00; a[ri + 1] += sign * s01; a[ri + 2] += sign * s02; a[ri + 3] += sign * s03;
        a[rk] += sign * s10; a[rk + 1] += sign * s11; a[rk + 2] += sign * s12; a[rk + 3] += sign * s13;
      }
      for (; j <= jLast; j++) {
        const pj = (j - off) * b;
        let s0 = 0, s1 = 0;
        for (let t = 0; t < b; t++) {
          const q = panel[pj + t];
          s0 += panel[pi + t] * q;
          s1 += panel[pk + t] * q;
        }
        if (j <= i) a[i * n + j] += sign * s0;
        a[(i + 1) * n + j] += sign * s1;
      }
    }
    for (; i < r1; i++) {
      const pi = (i - off) * b;
      const jLast = Math.min(jEnd - 1, i);
      let j = jc;
      for (; j + 3 <= jLast; j += 4) {
        const p0 = (j - off) * b, p1 = p0 + b, p2 = p1 + b, p3 = p2 + b;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let t = 0; t < b; t++) {
          const x = panel[pi + t];
          s0 += x * panel[p0 + t]; s1 += x * panel[p1 + t]; s2 += x * panel[p2 + t]; s3 += x * panel[p3 + t];
        }
        const ri = i * n + j;
        a[ri] += sign * s0; a[ri + 1] += sign * s1; a[ri + 2] += sign * s2; a[ri + 3] += sign * s3;
      }
      for (; j <= jLast; j++) {
        const pj = (j - off) * b;
        let s = 0;
        for (let t = 0; t < b; t++) s += panel[pi + t] * panel[pj + t];
        a[i * n + j] += sign * s;
      }
    }
  }
}

// Panel solve of the Cholesky step at column k (block width b): for rows i in [r0, r1),
// x L_kk^T = a[i, k:k+b], with L_kk packed (row-major b × b, Float64) in diag. x is written back
// to a and packed into panel row (i - off).
function trsmRows(a, n, diag, panel, k, b, off, r0, r1) {
  for (let i = r0; i < r1; i++) {
    const row = i * n + k, pr = (i - off) * b;
    for (let p = 0; p < b; p++) {
      let s = a[row + p];
      const lp = p * b;
      for (let q = 0; q < p; q++) s -= panel[pr + q] * diag[lp + q];
      const x = s / diag[lp + p];
      panel[pr + p] = x;
      a[row + p] = x;
    }
  }
}

// One block column of the in-place inversion of a lower-triangular L (columns [k, k+b), trailing
// rows from s = k + b already inverted, upper triangle zero). For rows i in [r0, r1):
//   a[i, k:k+b] = -(sum_{l=s..i} W[i][l] * L[l, k:k+b]) * W_kk
// where the original L[l, k:k+b] is packed transposed in pt (row p = column k+p, length m = n-s),
// W_kk (the inverted diagonal block, lower, b × b) is packed in diag, and acc is a Float64
// accumulator with b values per row.
function trtriRows(a, n, pt, diag, acc, k, b, s, r0, r1) {
  const m = n - s;
  for (let t = (r0 - s) * b; t < (r1 - s) * b; t++) acc[t] = 0;
  const chunk = 256;
  for (let lc = s; lc < r1; lc += chunk) {
    const lEndChunk = Math.min(lc + chunk, r1);
    let i = Math.max(r0, lc);
    for (; i + 1 < r1; i += 2) {
      const wi = i * n, wk = wi + n, ai = (i - s) * b, ak = ai + b;
      const lEnd = Math.min(lEndChunk, i + 2); // W[i][i+1] is 0 (upper triangle)
      let p = 0;
      for (; p + 3 < b; p += 4) {
        const q0 = p * m - s, q1 = q0 + m, q2 = q1 + m, q3 = q2 + m;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (let l = lc; l < lEnd; l++) {
          const x = a[wi + l], y = a[wk + l];
          const c0 = pt[q0 + l], c1 = pt[q1 + l], c2 = pt[q2 + l], c3 = pt[q3 + l];
          s00 += x * c0; s01 += x * c1; s02 += x * c2; s03 += x * c3;
          s10 += y * c0; s11 += y * c1; s12 += y * c2; s13 += y * c3;
        }
        acc[ai + p] += s00; acc[ai + p + 1] += s01; acc[ai + p + 2] += s02; acc[ai + p + 3] += s03;
        acc[ak + p] += s10; acc[ak + p + 1] += s11; acc[ak + p + 2] += s12; acc[ak + p + 3] += s13;
      }
      for (; p < b; p++) {
        const q = p * m - s;
        let s0 = 0, s1 = 0;
        for (let l = lc; l < lEnd; l++) {
          s0 += a[wi + l] * pt[q + l];
          s1 += a[wk + l] * pt[q + l];
        }
        acc[ai + p] += s0;
        acc[ak + p] += s1;
      }
    }
    for (; i < r1; i++) {
      const wi = i * n, ai = (i - s) * b;
      const lEnd = Math.min(lEndChunk, i + 1);
      for (let p = 0; p < b; p++) {
        const q = p * m - s;
        let s0 = 0;
        for (let l = lc; l < lEnd; l++) s0 += a[wi + l] * pt[q + l];
        acc[ai + p] += s0;
      }
    }
  }
  for (let i = r0; i < r1; i++) {
    const ai = (i - s) * b, row = i * n + k;
    for (let p = 0; p < b; p++) {
      let v = 0;
      for (let q = p; q < b; q++) v += acc[ai + q] * diag[q * b + p];
      a[row + p] = -v;
    }
  }
}

const KERNELS = { syrkRows, trsmRows, trtriRows };
`;

export interface Kernels {
  syrkRows(a: FloatArray, n: number, panel: Float64Array, b: number, off: number, c0: number, r0: number, r1: number, sign: number): void;
  trsmRows(a: FloatArray, n: number, diag: Float64Array, panel: Float64Array, k: number, b: number, off: number, r0: number, r1: number): void;
  trtriRows(
    a: FloatArray,
    n: number,
    pt: Float64Array,
    diag: Float64Array,
    acc: Float64Array,
    k: number,
    b: number,
    s: number,
    r0: number,
    r1: number,
  ): void;
}

export type FloatArray = Float64Array | Float32Array;

/** A fresh compiled copy of the kernels (call once per array type to keep each copy monomorphic). */
export function compileKernels(): Kernels {
  return new Function(`${KERNEL_SOURCE}\nreturn KERNELS;`)() as Kernels;
}

/**
 * The worker-thread program: compiles the kernels once per array type, then runs
 * `{ task, args }` messages against the shared buffers it was given at start-up and replies
 * `{ done: id }` (or `{ error }`).
 */
export const WORKER_SOURCE = `${KERNEL_SOURCE}
const { parentPort } = require("node:worker_threads");
let a = null, panel = null, diag = null, acc = null, n = 0;
const compiled = {};
parentPort.on("message", (msg) => {
  try {
    if (msg.init) {
      const I = msg.init;
      a = I.type === "float32" ? new Float32Array(I.buffer) : new Float64Array(I.buffer);
      panel = new Float64Array(I.panel);
      diag = new Float64Array(I.diag);
      acc = new Float64Array(I.acc);
      n = I.n;
      if (!compiled[I.type]) compiled[I.type] = new Function(${JSON.stringify(`${KERNEL_SOURCE}\nreturn KERNELS;`)})();
      parentPort.postMessage({ done: msg.id });
      return;
    }
    const K = compiled[a instanceof Float32Array ? "float32" : "float64"];
    const x = msg.args;
    if (msg.task === "syrk") K.syrkRows(a, n, panel, x.b, x.off, x.c0, x.r0, x.r1, x.sign);
    else if (msg.task === "trsm") K.trsmRows(a, n, diag, panel, x.k, x.b, x.off, x.r0, x.r1);
    else if (msg.task === "trtri") K.trtriRows(a, n, panel, diag, acc, x.k, x.b, x.s, x.r0, x.r1);
    parentPort.postMessage({ done: msg.id });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.stack || error) });
  }
});
`;
