import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { allocMatrix, choleskyInPlace, choleskySolveInPlace, choleskyUnblocked, invertSpdInPlace } from "@/lib/models/linalg/cholesky";
import { Rng } from "@/lib/util/rng";

/** A random SPD matrix XᵀX + ridge·I (X: 2n × n normal), row-major float64. */
function randomSpd(n: number, seed: number, ridge = 0.5): Float64Array {
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

/** Gaussian elimination with partial pivoting: the direct solve the factorisation is checked against. */
function directSolve(a: Float64Array, n: number, rhs: Float64Array): Float64Array {
  const m = Float64Array.from(a), b = Float64Array.from(rhs);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    for (let k = 0; k < n; k++) [m[c * n + k], m[piv * n + k]] = [m[piv * n + k], m[c * n + k]];
    [b[c], b[piv]] = [b[piv], b[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      b[r] -= f * b[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= m[r * n + k] * b[k];
    b[r] = s / m[r * n + r];
  }
  return b;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

describe("blocked Cholesky", () => {
  it.each([
    ["n not a multiple of the block", 67, 8],
    ["one block", 20, 32],
    ["many blocks", 150, 16],
  ])("matches the unblocked factorisation (%s)", async (_label, n, blockSize) => {
    const a = randomSpd(n, n);
    const reference = Float64Array.from(a);
    choleskyUnblocked(reference, n);
    await choleskyInPlace(a, n, { blockSize });
    expect(maxAbsDiff(a, reference)).toBeLessThan(1e-10);
  });

  it("solves A x = b like a direct solve, on random SPD matrices", async () => {
    for (const seed of [1, 2, 3]) {
      const n = 45;
      const a = randomSpd(n, seed);
      const rhs = Float64Array.from({ length: n }, (_, i) => Math.sin(i + seed));
      const l = Float64Array.from(a);
      await choleskyInPlace(l, n, { blockSize: 8 });
      const x = Float64Array.from(rhs);
      choleskySolveInPlace(l, n, x);
      expect(maxAbsDiff(x, directSolve(a, n, rhs))).toBeLessThan(1e-9);
    }
  });

  it("inverts: A · A⁻¹ = I (float64 and float32 storage)", async () => {
    const n = 70;
    const a = randomSpd(n, 9, 5);
    for (const type of ["float64", "float32"] as const) {
      const p = allocMatrix(n, type, false);
      p.set(a);
      await invertSpdInPlace(p, n, { blockSize: 16 });
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += a[i * n + k] * p[k * n + j];
          worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
        }
      }
      expect(worst).toBeLessThan(type === "float64" ? 1e-10 : 1e-3);
    }
  });

  it("gives bit-identical results with two threads on shared memory", async () => {
    const n = 300;
    const a = randomSpd(n, 4);
    const single = Float64Array.from(a);
    await invertSpdInPlace(single, n, { blockSize: 32 });
    const shared = allocMatrix(n, "float64", true);
    shared.set(a);
    await invertSpdInPlace(shared, n, { blockSize: 32, threads: 2 });
    expect(maxAbsDiff(shared, single)).toBe(0);
  });

  it("refuses a matrix that is not positive definite, naming the pivot", async () => {
    // Symmetric with eigenvalues 3 and -1.
    const a = Float64Array.from([1, 2, 2, 1]);
    await expect(choleskyInPlace(a, 2)).rejects.toBeInstanceOf(AppError);
    await expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).rejects.toMatchObject({ code: "BAD_INPUT", details: { pivot: 1 } });
    expect(() => choleskyUnblocked(Float64Array.from([-1, 0, 0, 1]), 2)).toThrow(/not positive definite: pivot 0/);
  });
});
