import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ElementType, GemmNt } from "./wasm-kernel";

/**
 * The optional native gemm_nt (native/linalg/gemm-nt.c, built by `npm ci` through
 * scripts/build-native.mjs): the WebAssembly kernel's arguments and semantics, with AVX-512 or
 * AVX2 FMA register tiles (3.7× its GFLOP/s here, docs/benchmarks/linalg.md). Each
 * entry is summed in a fixed order (t = 0 … k−1), so results agree with the WebAssembly kernel to
 * rounding and stay bit-identical across thread counts. When the addon is absent (no compiler,
 * another platform, a failed build) the WebAssembly kernel is used; which one is logged once.
 *
 *   RECLAB_LINALG_KERNEL=wasm    never load the addon;  =native  fail when it does not load
 *   RECLAB_LINALG_NATIVE=<file>  the addon to load (default: native/linalg/build/Release under the
 *                                working directory, else under the checkout this module is in)
 *   RECLAB_LINALG_ISA=avx2|baseline  cap the instruction set the addon picks (for measurements)
 */

type NativeGemm = (view: Uint8Array, c: number, ldc: number, a: number, lda: number, b: number, ldb: number, rows: number, cols: number, k: number, mode: number, lower: number) => void;

/** C = A·B per batch element on byte offsets c, a, b into `view`, every stride in elements (native/linalg/matmul-body.h). */
type NativeMatMul = (view: Uint8Array, c: number, a: number, b: number, batch: number, rows: number, cols: number, k: number, ars: number, ats: number, bqs: number, bts: number, sa: number, sb: number, sc: number) => void;

export interface NativeLinalg {
  gemm_nt_f32: NativeGemm;
  gemm_nt_f64: NativeGemm;
  /** TensorFlow.js's BatchMatMul for lib/training/native-matmul.ts; absent from addons built before it. */
  matmul_f32?: NativeMatMul;
  /** Training loops (native/linalg/train-kernels.h), bit-identical to the JavaScript they replace; absent from older builds. */
  adam_f32?: (out: Float32Array, old: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, alpha: number, beta1: number, beta2: number, epsilon: number, decay: number) => void;
  add_rows_f32?: (indptr: Int32Array, indices: Int32Array, values: Float32Array, src: Float32Array, dst: Float32Array, width: number, scatter: number) => void;
  /** NeuMF's layer kernels (lib/models/deep/neumf-kernels.ts), the same bits as the JavaScript. */
  gather_add_relu_f32?: (userRows: Float32Array, users: Int32Array, itemRows: Float32Array, items: Int32Array, bias: Float32Array, w: number, n: number, h: Float32Array) => void;
  user_by_items_relu_f32?: (userRows: Float32Array, batchUsers: Int32Array, itemRows: Float32Array, numItems: number, bias: Float32Array, w: number, h: Float32Array) => void;
  bias_relu_dot_f32?: (z: Float32Array, bias: Float32Array, m: Float32Array, w: number, n: number, out: Float32Array) => void;
  bias_relu_f32?: (z: Float32Array, bias: Float32Array, w: number, n: number) => void;
  relu_backward_f32?: (d: Float32Array, h: Float32Array, w: number, n: number, dBias: Float32Array) => void;
  gather_add_relu_backward_f32?: (d: Float32Array, h: Float32Array, users: Int32Array, items: Int32Array, w: number, n: number, dUserRows: Float32Array, dItemRows: Float32Array, dBias: Float32Array) => void;
  neumf_head_dots_f32?: (users: Int32Array, items: Int32Array, gmfUser: Float32Array, gmfItem: Float32Array, gmfOut: Float32Array, h: Float32Array, mlpOut: Float32Array, f: number, n: number, gmf: Float64Array, mlp: Float64Array, norms: Float64Array) => void;
  neumf_head_grads_f32?: (users: Int32Array, items: Int32Array, gmfUser: Float32Array, gmfItem: Float32Array, gmfOut: Float32Array, h: Float32Array, mlpOut: Float32Array, f: number, n: number, dGmf: Float64Array, dMlp: Float64Array, reg2: number, dH: Float32Array, dGmfUser: Float32Array, dGmfItem: Float32Array, dGmfOut: Float32Array, dMlpOut: Float32Array) => void;
  counted_row_penalty_f32?: (table: Float32Array, counts: Int32Array, d: number, scale: number, grad: Float32Array) => number;
  /** NeuMF's dropout (lib/models/deep/neumf-kernels.ts): xorshift32 words and the in-place mask and scale, the JavaScript's bits. */
  xorshift_fill_u32?: (words: Uint32Array, state: number) => number;
  mask_in_place_f32?: (x: Float32Array, bytes: Uint8Array, multiplier: Float32Array) => void;
  scale_in_place_f32?: (x: Float32Array, s: number) => void;
  /** Evaluation (lib/metrics/top-k.ts, lib/metrics/beyond.ts): the JavaScript's top-K list and AUC. */
  top_k_f32?: (scores: Float32Array, offset: number, length: number, k: number, out: Int32Array) => number;
  auc_f32?: (scores: Float32Array, offset: number, length: number, positives: Int32Array) => number;
  /** Implicit ALS's conjugate-gradient half-sweep (lib/models/als.ts), with the JavaScript's bits. */
  solve_implicit_rows_f32?: (target: Float32Array, fixed: Float32Array, indptr: Int32Array, indices: Int32Array, values: Float32Array, numRows: number, dim: number, regularization: number, alpha: number, cgSteps: number, prior: Float32Array | null) => number;
  /** Max over time of the ReLU (lib/models/sequential/conv-ops.ts): the JavaScript's values and arg-max. */
  relu_max_over_time_f32?: (x: Float32Array, b: number, T: number, F: number, out: Float32Array, arg: Int32Array) => void;
  /** The gradient of a row gather (lib/models/sequential/tf-helpers.ts gatherRows), the JavaScript's sums. */
  scatter_rows_f32?: (indices: Int32Array, padding: number, g: Float32Array, acc: Float32Array, d: number) => void;
  /** The instruction set the addon picked: "avx512", "avx2" or "baseline". */
  isa: string;
}

/** Where the build puts the addon, relative to the project root (the working directory of every RecLab process). */
export const NATIVE_ADDON = path.join("native", "linalg", "build", "Release", "reclab_linalg.node");

let loaded: { addon: NativeLinalg; file: string } | { error: string } | undefined;
let announced = false;

/** Loads the addon with process.dlopen (no require: bundlers leave it alone). Throws on failure. */
export function loadAddon(file: string): NativeLinalg {
  const mod = { exports: {} as NativeLinalg };
  process.dlopen(mod, file);
  if (typeof mod.exports.gemm_nt_f32 !== "function" || typeof mod.exports.gemm_nt_f64 !== "function") throw new Error(`${file} is not the reclab_linalg addon`);
  return mod.exports;
}

/** The built addon under the working directory, else beside this source file (a CLI started elsewhere); the first that exists. */
function defaultAddonFile(): string {
  const fromCwd = path.join(process.cwd(), NATIVE_ADDON);
  if (existsSync(fromCwd)) return fromCwd;
  try {
    // lib/models/linalg/ → the checkout root. Bundled (Next), this points elsewhere and is simply not found.
    const fromModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..", NATIVE_ADDON);
    if (existsSync(fromModule)) return fromModule;
  } catch {
    // import.meta.url is not a file: URL in this bundle
  }
  return fromCwd;
}

/** One attempt to load the addon as `env` says (uncached; nativeLinalg caches the process's answer). */
export function tryLoadNative(env: Record<string, string | undefined> = process.env): { addon: NativeLinalg; file: string } | { error: string } {
  const forced = env.RECLAB_LINALG_KERNEL;
  if (forced === "wasm") return { error: "RECLAB_LINALG_KERNEL=wasm" };
  const file = env.RECLAB_LINALG_NATIVE ? path.resolve(env.RECLAB_LINALG_NATIVE) : defaultAddonFile();
  try {
    if (!existsSync(file)) throw new Error(`${file} not found (build it with \`node scripts/build-native.mjs\`)`);
    return { addon: loadAddon(file), file };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (forced === "native") throw new Error(`RECLAB_LINALG_KERNEL=native but the native linalg kernel failed to load: ${message}`);
    return { error: message };
  }
}

/** The loaded addon and its file, or null (with the reason logged once) when the WebAssembly kernel is to be used. */
export function nativeLinalg(): { addon: NativeLinalg; file: string } | null {
  const result = (loaded ??= tryLoadNative());
  if (!announced) {
    announced = true;
    if (!process.env.VITEST) {
      console.info("error" in result ? `RecLab linalg: WebAssembly SIMD kernel (native kernel unavailable: ${result.error})` : `RecLab linalg: native ${result.addon.isa} kernel (${result.file})`);
    }
  }
  return "error" in result ? null : result;
}

/** The native kernel bound to `memory`, as a drop-in for the WebAssembly export. */
export function bindNativeKernel(addon: NativeLinalg, memory: WebAssembly.Memory, type: ElementType): GemmNt {
  const view = new Uint8Array(memory.buffer);
  const f = type === "float32" ? addon.gemm_nt_f32 : addon.gemm_nt_f64;
  return (c, ldc, a, lda, b, ldb, rows, cols, k, mode, lower) => f(view, c, ldc, a, lda, b, ldb, rows, cols, k, mode, lower);
}
