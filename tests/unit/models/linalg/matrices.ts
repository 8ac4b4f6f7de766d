import { expect } from "vitest";
import type { GemmNt } from "@/lib/models/linalg/wasm-kernel";
import { Rng } from "@/lib/util/rng";

/** A random SPD matrix XᵀX + ridge·I (X: 2n × n normal), row-major float64. */
export function randomSpd(n: number, seed: number, ridge = 0.5): Float64Array {
  const rng = new Rng(seed);
  const m = 2 * n;
  const x = Float64Array.from({ length: m * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let u = 0; u < m; u++) s += x[u * n + i] * x[u * n + j];
      a[i * n + j] = a[j * n + i] = s + (i === j ? ridge : 0);
    }
  }
  return a;
}

/** The largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** One gemm_nt call's shape, strides and element offsets into the kernel's memory view. */
export interface GemmCase {
  rows: number;
  cols: number;
  k: number;
  lda: number;
  ldb: number;
  ldc: number;
  A: number;
  B: number;
  C: number;
}

/**
 * Fills the view with small integers (so every sum is exact), runs `gemm` in `mode` with the
 * `lower` mask and checks every entry of C's rows, padding included, against the definition:
 * C (+)= A·Bᵀ where q < cols and q ≤ r + lower (lower < 0: everywhere), untouched elsewhere.
 */
export function expectGemmExact(v: Float32Array | Float64Array, gemm: GemmNt, c: GemmCase, mode: number, lower: number, rng: Rng, label: string): void {
  const { rows, cols, k, lda, ldb, ldc, A, B, C } = c;
  for (let i = 0; i < C + rows * ldc; i++) v[i] = rng.int(9) - 4;
  const before = v.slice(C, C + rows * ldc);
  gemm(C * v.BYTES_PER_ELEMENT, ldc, A * v.BYTES_PER_ELEMENT, lda, B * v.BYTES_PER_ELEMENT, ldb, rows, cols, k, mode, lower);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < ldc; q++) {
      const old = before[r * ldc + q];
      let want = old;
      if (q < cols && (lower < 0 || q <= r + lower)) {
        let d = 0;
        for (let t = 0; t < k; t++) d += v[A + r * lda + t] * v[B + q * ldb + t];
        want = [old + d, old - d, -d, d][mode];
      }
      // Only a mismatch goes through expect: thousands of passing entries would dominate the run.
      if (v[C + r * ldc + q] !== want) expect(v[C + r * ldc + q], `${label} mode ${mode} lower ${lower} (${r}, ${q})`).toBe(want);
    }
  }
}
