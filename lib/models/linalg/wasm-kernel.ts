import { LINALG_WASM_BASE64 } from "./wasm-bytes";
import type { FloatArray } from "./kernels";
import { bindNativeKernel, nativeLinalg } from "./native-kernel";

/**
 * The WebAssembly SIMD dot-product kernel (scripts/gen-linalg-wasm.mjs) and the shared
 * WebAssembly memory a matrix lives in while it is factored or inverted.
 *
 * A matrix allocated here is a Float32Array/Float64Array view at offset 0 of a shared
 * WebAssembly.Memory (so of a SharedArrayBuffer), followed by the scratch the blocked algorithms
 * need (packed panel, accumulator, diagonal block). Worker threads instantiate the same module over
 * the same memory and run kernel calls on row ranges. wasm32 addresses at most 4 GiB, which holds a
 * 27,000-item float32 matrix (2.9 GB) or a 23,000-item float64 one.
 *
 * When the native addon (./native-kernel.ts) loads, it replaces the WebAssembly kernel on every
 * thread: same calls, same memory, only the function differs.
 */

export type ElementType = "float32" | "float64";

/** Arguments of one kernel call, in order: c, ldc, a, lda, b, ldb, rows, cols, k, mode, lower (pointers in bytes). */
export const CALL_ARITY = 11;

/** gemm_nt modes (see the generator): C += d, C −= d, C = −d, C = d. */
export const MODE = { add: 0, sub: 1, setNeg: 2, set: 3 } as const;

export type GemmNt = (c: number, ldc: number, a: number, lda: number, b: number, ldb: number, rows: number, cols: number, k: number, mode: number, lower: number) => void;

/** Largest block width the scratch is sized for. */
export const MAX_BLOCK = 256;
const PAGE = 65536;
const MAX_PAGES = 65536;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null when this runtime lacks WebAssembly SIMD or shared memory. */
export function linalgModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new WebAssembly.Module(Buffer.from(LINALG_WASM_BASE64, "base64"));
  } catch {
    compiled = null;
  }
  return compiled;
}

export function kernelName(type: ElementType): "gemm_nt_f32" | "gemm_nt_f64" {
  return type === "float32" ? "gemm_nt_f32" : "gemm_nt_f64";
}

/** Instantiates the module over `memory` and returns the kernel for the element type. */
export function instantiateKernel(module: WebAssembly.Module, memory: WebAssembly.Memory, type: ElementType): GemmNt {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports[kernelName(type)] as GemmNt;
}

/**
 * V8 runs new WebAssembly in its baseline compiler and switches a function to optimised code
 * (4× faster here) on a later call once it has run enough; a few tiny calls on scratch memory
 * at `at` (bytes; 64 KiB of scratch) start that before the first long call (measured: the
 * Cholesky phase took 1.5× longer without).
 */
export function warmUp(kernel: GemmNt, at: number): void {
  for (let rep = 0; rep < 24; rep++) kernel(at, 32, at + 8192, 64, at + 16384, 64, 32, 32, 64, MODE.add, -1);
}

/** Element offsets (not bytes) of the regions of a workspace. */
export interface Workspace {
  memory: WebAssembly.Memory;
  type: ElementType;
  bytesPerElement: 4 | 8;
  n: number;
  /** The n × n matrix, row-major, at offset 0. */
  a: FloatArray;
  /** A view of the whole memory in the element type. */
  all: FloatArray;
  /** Packed panel / transposed panel: (n + 8) × MAX_BLOCK elements. */
  panel: number;
  /** Row accumulator of the triangular inverse: n × MAX_BLOCK elements. */
  acc: number;
  /** A MAX_BLOCK × MAX_BLOCK diagonal block (its inverse, possibly transposed). */
  diag: number;
  kernel: GemmNt;
  /** The native addon's file when `kernel` is native (worker threads load the same one), else null. */
  nativeFile: string | null;
}

const workspaces = new WeakMap<ArrayBufferLike, Workspace>();

/** Bytes a workspace for an n × n matrix takes (matrix + scratch), rounded to WebAssembly pages. */
export function workspaceBytes(n: number, type: ElementType): number {
  const s = type === "float32" ? 4 : 8;
  const align = (e: number) => Math.ceil(e / 16) * 16;
  const elements = align(n * n) + align((n + 8) * MAX_BLOCK) + align(n * MAX_BLOCK) + MAX_BLOCK * MAX_BLOCK;
  return Math.ceil((elements * s) / PAGE) * PAGE;
}

/**
 * A zeroed n × n matrix in a fresh WebAssembly workspace, or null when it cannot have one. Its
 * kernel is the native one when the addon loads, unless `native` is false.
 */
export function allocWasmMatrix(n: number, type: ElementType, native = true): FloatArray | null {
  const module = linalgModule();
  const bytes = workspaceBytes(n, type);
  if (!module || bytes / PAGE > MAX_PAGES) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: bytes / PAGE, maximum: bytes / PAGE, shared: true });
  } catch {
    return null; // address space refused: fall back to plain arrays
  }
  const s = type === "float32" ? 4 : 8;
  const align = (e: number) => Math.ceil(e / 16) * 16;
  const Arr = type === "float32" ? Float32Array : Float64Array;
  const a = new Arr(memory.buffer, 0, n * n);
  const nat = native ? nativeLinalg() : null;
  const panel = align(n * n);
  const acc = panel + align((n + 8) * MAX_BLOCK);
  const diag = acc + align(n * MAX_BLOCK);
  const ws: Workspace = {
    memory,
    type,
    bytesPerElement: s,
    n,
    a,
    all: new Arr(memory.buffer),
    panel,
    acc,
    diag,
    kernel: nat ? bindNativeKernel(nat.addon, memory, type) : instantiateKernel(module, memory, type),
    nativeFile: nat ? nat.file : null,
  };
  if (!nat) warmUp(ws.kernel, diag * s);
  workspaces.set(memory.buffer, ws);
  return a;
}

/** The workspace `a` was allocated in (by allocWasmMatrix for this n), if any. */
export function workspaceOf(a: FloatArray, n: number): Workspace | undefined {
  const ws = workspaces.get(a.buffer);
  return ws && ws.n === n && a.byteOffset === 0 && ws.a.length === a.length ? ws : undefined;
}
