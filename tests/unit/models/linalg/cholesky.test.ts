import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { allocMatrix, choleskyInPlace, choleskySolveInPlace, choleskyUnblocked, invertSpdInPlace } from "@/lib/models/linalg/cholesky";
import { Rng } from "@/lib/util/rng";
import { expectGemmExact, maxAbsDiff, randomSpd } from "./matrices";
import { linalgModule, MODE, workspaceOf, instantiateKernel } from "@/lib/models/linalg/wasm-kernel";

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

/** Residual max |A·P − I| over every entry. */
function inverseResidual(a: Float64Array, p: ArrayLike<number>, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * p[k * n + j];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

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
      const p = allocMatrix(n, type, false, { wasm: false });
      p.set(a);
      await invertSpdInPlace(p, n, { blockSize: 16 });
      expect(inverseResidual(a, p, n)).toBeLessThan(type === "float64" ? 1e-10 : 1e-3);
    }
  });

  it("gives bit-identical results with two threads on shared memory", async () => {
    const n = 300;
    const a = randomSpd(n, 4);
    const single = Float64Array.from(a);
    await invertSpdInPlace(single, n, { blockSize: 32 });
    const shared = allocMatrix(n, "float64", true, { wasm: false });
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

/** The WebAssembly kernel even where the native addon is built (native-kernel.test.ts covers that one). */
const WASM = { native: false } as const;

describe("WebAssembly SIMD path", () => {
  it("gemm_nt computes every mode, the lower mask and ragged edges exactly (small integers)", () => {
    const module = linalgModule();
    expect(module).not.toBeNull();
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    for (const type of ["float32", "float64"] as const) {
      const gemm = instantiateKernel(module!, memory, type);
      const v = type === "float32" ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
      const rng = new Rng(type === "float32" ? 1 : 2);
      // rows, cols, k deliberately not multiples of the 2 × 4 tile or the vector width.
      const shape = { rows: 7, cols: 9, k: 13, lda: 17, ldb: 15, ldc: 11, A: 0, B: 200, C: 400 };
      for (const mode of Object.values(MODE)) {
        for (const lower of [-1, 0, 3]) expectGemmExact(v, gemm, shape, mode, lower, rng, type);
      }
    }
  });

  it("allocates matrices from 128 items up in a workspace, smaller ones as plain arrays", () => {
    expect(workspaceOf(allocMatrix(200, "float32", false), 200)).toBeDefined();
    expect(workspaceOf(allocMatrix(50, "float64", true), 50)).toBeUndefined();
    expect(workspaceOf(allocMatrix(200, "float64", true, { wasm: false }), 200)).toBeUndefined();
  });

  it.each([
    ["n not a multiple of the block or the row chunk", 203, 24],
    ["default block", 300, undefined],
  ])("factors like the unblocked Cholesky (%s)", async (_label, n, blockSize) => {
    const a = randomSpd(n, n);
    const reference = Float64Array.from(a);
    choleskyUnblocked(reference, n);
    const w = allocMatrix(n, "float64", false, WASM);
    w.set(a);
    await choleskyInPlace(w, n, { blockSize });
    expect(maxAbsDiff(w, reference)).toBeLessThan(1e-9);
  });

  it("inverts like the JavaScript path (float64) and within float32 rounding (float32)", async () => {
    const n = 211;
    const a = randomSpd(n, 5, 5);
    const js = Float64Array.from(a);
    await invertSpdInPlace(js, n, { blockSize: 32 });
    for (const type of ["float64", "float32"] as const) {
      const w = allocMatrix(n, type, true, WASM);
      w.set(a);
      await invertSpdInPlace(w, n, { blockSize: 32, threads: 2 });
      const scale = Math.max(...js.map(Math.abs));
      expect(maxAbsDiff(w, js) / scale).toBeLessThan(type === "float64" ? 1e-12 : 1e-4);
      expect(inverseResidual(a, w, n)).toBeLessThan(type === "float64" ? 1e-10 : 1e-3);
    }
  });

  it("gives bit-identical results with one and two threads", async () => {
    const n = 400;
    const a = randomSpd(n, 6);
    for (const type of ["float64", "float32"] as const) {
      const one = allocMatrix(n, type, true, WASM);
      one.set(a);
      await invertSpdInPlace(one, n, { blockSize: 48, threads: 1 });
      const two = allocMatrix(n, type, true, WASM);
      two.set(a);
      await invertSpdInPlace(two, n, { blockSize: 48, threads: 2 });
      expect(maxAbsDiff(one, two)).toBe(0);
    }
  });

  it("refuses a matrix that is not positive definite, naming the pivot", async () => {
    const n = 150;
    const w = allocMatrix(n, "float64", false, WASM);
    for (let i = 0; i < n; i++) w[i * n + i] = i === 140 ? -1 : 1;
    await expect(invertSpdInPlace(w, n, { threads: 2 })).rejects.toMatchObject({ code: "BAD_INPUT", details: { pivot: 140 } });
  });
});
