import { describe, expect, it } from "vitest";
import { allocMatrix, invertSpdInPlace } from "@/lib/models/linalg/cholesky";
import { bindNativeKernel, nativeLinalg, tryLoadNative, type NativeLinalg } from "@/lib/models/linalg/native-kernel";
import { instantiateKernel, linalgModule, MODE, workspaceOf, type GemmNt } from "@/lib/models/linalg/wasm-kernel";
import { Rng } from "@/lib/util/rng";
import { expectGemmExact, maxAbsDiff, randomSpd } from "./matrices";

/**
 * The native gemm_nt (native/linalg) against the WebAssembly one, and the SPD inverse through it
 * against the JavaScript path. The native cases run when the addon is built (`npm ci` builds it);
 * the fallback cases always run (RECLAB_LINALG_KERNEL=native makes a missing addon an error, =wasm
 * skips the native cases).
 */

const native = nativeLinalg();

describe.runIf(native)("native gemm_nt kernel", () => {
  // The body is collected even when skipped, so no non-null assertion here.
  const addon = native?.addon as NativeLinalg;

  it("computes every mode, the lower mask and ragged edges exactly (small integers)", () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
    for (const type of ["float32", "float64"] as const) {
      const gemm = bindNativeKernel(addon, memory, type);
      const v = type === "float32" ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
      const rng = new Rng(type === "float32" ? 1 : 2);
      // Sizes straddle every tile shape (up to 32 rows × 12 columns) and none is a multiple of one.
      for (const [rows, cols, k] of [[7, 9, 13], [45, 29, 37], [1, 1, 1], [33, 13, 0]]) {
        const shape = { rows, cols, k, lda: k + 3, ldb: k + 1, ldc: cols + 2, A: 0, B: 4000, C: 8000 };
        for (const mode of Object.values(MODE)) {
          for (const lower of [-1, 0, 3, 40]) expectGemmExact(v, gemm, shape, mode, lower, rng, `${type} ${rows}×${cols}×${k}`);
        }
      }
    }
  });

  it("agrees with the WebAssembly kernel on random inputs (every mode, the lower mask, float32 and float64)", () => {
    const module = linalgModule()!;
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
    for (const type of ["float32", "float64"] as const) {
      const wasm = instantiateKernel(module, memory, type);
      const nat = bindNativeKernel(addon, memory, type);
      const v = type === "float32" ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
      const s = v.BYTES_PER_ELEMENT;
      const rng = new Rng(type === "float32" ? 11 : 12);
      const rows = 70, cols = 131, k = 203, lda = 211, ldb = 205, ldc = 140;
      const A = 0, B = A + rows * lda, C0 = B + cols * ldb, C1 = C0 + rows * ldc;
      for (let i = 0; i < C0; i++) v[i] = rng.normal();
      // |d| ≤ Σ|A||B| ≈ k·E|x|² ≈ 130: float32 sums in different orders differ by a few ulps of that.
      const tol = type === "float32" ? 2e-4 : 1e-11;
      for (const mode of Object.values(MODE)) {
        for (const lower of [-1, 0, 17]) {
          for (let i = 0; i < rows * ldc; i++) v[C0 + i] = v[C1 + i] = rng.normal();
          const run = (f: GemmNt, c: number) => f(c * s, ldc, A * s, lda, B * s, ldb, rows, cols, k, mode, lower);
          run(wasm, C0);
          run(nat, C1);
          expect(maxAbsDiff(v.subarray(C0, C1), v.subarray(C1, C1 + rows * ldc)), `${type} mode ${mode} lower ${lower}`).toBeLessThan(tol);
        }
      }
    }
  });

  it("refuses operands outside the memory instead of touching them", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const gemm = bindNativeKernel(addon, memory, "float64");
    expect(() => gemm(0, 64, 0, 64, 65536 - 64, 64, 64, 64, 64, MODE.add, -1)).toThrow(RangeError);
    expect(() => gemm(4, 8, 0, 8, 0, 8, 8, 8, 8, MODE.add, -1)).toThrow(/misaligned/);
  });

  it("is what a workspace uses, and inverts like the JavaScript path", async () => {
    const n = 211;
    const a = randomSpd(n, 5, 5);
    const js = Float64Array.from(a);
    await invertSpdInPlace(js, n, { blockSize: 32 });
    const scale = Math.max(...js.map(Math.abs));
    for (const type of ["float64", "float32"] as const) {
      const w = allocMatrix(n, type, true);
      expect(workspaceOf(w, n)?.nativeFile).toBe(native!.file);
      w.set(a);
      await invertSpdInPlace(w, n, { blockSize: 32, threads: 2 });
      expect(maxAbsDiff(w, js) / scale).toBeLessThan(type === "float64" ? 1e-12 : 1e-4);
    }
  });

  it("inverts with its default block width (256, wider than the matrix's first steps)", async () => {
    const n = 300;
    const a = randomSpd(n, 8, 5);
    const js = Float64Array.from(a);
    await invertSpdInPlace(js, n, { blockSize: 32 });
    const w = allocMatrix(n, "float64", true);
    w.set(a);
    await invertSpdInPlace(w, n, { threads: 2 });
    expect(maxAbsDiff(w, js) / Math.max(...js.map(Math.abs))).toBeLessThan(1e-12);
  });

  it("gives bit-identical results with one and two threads", async () => {
    const n = 400;
    const a = randomSpd(n, 6);
    for (const type of ["float64", "float32"] as const) {
      const out: ArrayLike<number>[] = [];
      for (const threads of [1, 2]) {
        const w = allocMatrix(n, type, true);
        w.set(a);
        await invertSpdInPlace(w, n, { blockSize: 48, threads });
        out.push(w);
      }
      expect(maxAbsDiff(out[0], out[1])).toBe(0);
    }
  });
});

describe("native kernel fallback", () => {
  it("reports why it is not used, and refuses when forced", () => {
    expect(tryLoadNative({ RECLAB_LINALG_KERNEL: "wasm" })).toEqual({ error: "RECLAB_LINALG_KERNEL=wasm" });
    const missing = tryLoadNative({ RECLAB_LINALG_NATIVE: "/nonexistent/reclab_linalg.node" });
    expect("error" in missing && missing.error).toMatch(/not found/);
    expect(() => tryLoadNative({ RECLAB_LINALG_KERNEL: "native", RECLAB_LINALG_NATIVE: "/nonexistent/reclab_linalg.node" })).toThrow(/failed to load/);
  });

  it("runs the WebAssembly kernel in a workspace without the addon, with the same results", async () => {
    const n = 203;
    const a = randomSpd(n, 7, 5);
    const js = Float64Array.from(a);
    await invertSpdInPlace(js, n, { blockSize: 24 });
    const w = allocMatrix(n, "float64", true, { native: false });
    expect(workspaceOf(w, n)?.nativeFile).toBeNull();
    w.set(a);
    await invertSpdInPlace(w, n, { blockSize: 24, threads: 2 });
    expect(maxAbsDiff(w, js) / Math.max(...js.map(Math.abs))).toBeLessThan(1e-12);
  });
});

// CI runs on the machines RecLab is measured on (Linux, g++ present): there the install step must
// have built the addon, or every native case above would be skipped without anyone noticing.
describe.runIf(process.env.CI === "true" && process.platform === "linux")("native kernel in CI", () => {
  it("was built by npm ci and loads", () => {
    const attempt = tryLoadNative({ ...process.env, RECLAB_LINALG_KERNEL: undefined });
    expect("error" in attempt ? attempt.error : "loaded").toBe("loaded");
    // Every export the training path uses, so none of their tests is skipped silently.
    const addon = "error" in attempt ? {} : attempt.addon;
    expect(Object.keys(addon).sort()).toEqual(expect.arrayContaining(["add_rows_f32", "adam_f32", "counted_row_penalty_f32", "gather_add_relu_backward_f32", "gather_add_relu_f32", "matmul_f32", "neumf_head_dots_f32", "neumf_head_grads_f32", "top_k_f32", "auc_f32", "solve_implicit_rows_f32", "relu_max_over_time_f32", "scatter_rows_f32", "xorshift_fill_u32", "mask_in_place_f32", "scale_in_place_f32"]));
  });
});
