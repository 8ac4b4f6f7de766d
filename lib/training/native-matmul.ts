import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { nativeLinalg, type NativeLinalg } from "../models/linalg/native-kernel";
import type { Tf } from "./tf-backend";

/**
 * TensorFlow.js's BatchMatMul on the wasm backend through RecLab's native kernel
 * (native/linalg/matmul-body.h: AVX-512 or AVX2 FMA register tiles, 176–199 GFLOP/s per thread
 * here against XNNPACK's 30–35 in 128-bit wasm SIMD). The kernel reads and writes the tensors
 * where they live, in the wasm heap, and takes either operand transposed by its strides, so
 * matMul's transpose flags cost nothing (on XNNPACK they were ~10× slower than a plain matMul).
 * Every entry is summed over k in order (t = 0 … k−1): results are deterministic and the same on
 * any thread or tiling; they differ from XNNPACK's only by rounding.
 *
 * Registered over the backend's own BatchMatMul when the addon is loaded (lib/models/linalg/
 * native-kernel.ts), so every tf.matMul and its gradient take it; batch shapes it does not handle
 * (two broadcast batch dimensions) fall back to the original kernel.
 *
 *   RECLAB_TF_MATMUL=wasm   keep XNNPACK (for comparisons); RECLAB_LINALG_KERNEL=wasm does too
 */

type NativeMatMul = NonNullable<NativeLinalg["matmul_f32"]>;

interface WasmInternals {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
}

const KERNEL = "BatchMatMul";
let active = false;

/** True when tf.matMul runs on the native kernel (transpose flags are then free: prefer them to tf.transpose). */
export function nativeMatMulActive(): boolean {
  return active;
}

/**
 * Puts the native kernel under the wasm backend's BatchMatMul (idempotent; call after
 * tf.setBackend("wasm")). False when the addon is absent or lacks matmul_f32 (an older build),
 * or RECLAB_TF_MATMUL=wasm: tf.matMul then stays on XNNPACK.
 */
export function registerNativeMatMul(tf: Tf, env: Record<string, string | undefined> = process.env): boolean {
  if (active) return true;
  if (env.RECLAB_TF_MATMUL === "wasm") return false;
  const matmul = nativeLinalg()?.addon.matmul_f32;
  const original = tf.getKernel(KERNEL, "wasm");
  if (!matmul || !original) return false;
  const kernelFunc = (args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo =>
    nativeBatchMatMul(tf, matmul, args) ?? (original.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo);
  tf.unregisterKernel(KERNEL, "wasm");
  const config: KernelConfig = { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
  tf.registerKernel(config);
  active = true;
  return true;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** tfjs-backend-wasm's BatchMatMul semantics (its kernels/BatchMatMul.ts) on the native kernel; null for what it leaves to the original. */
function nativeBatchMatMul(tf: Tf, matmul: NativeMatMul, { inputs, backend, attrs }: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo | null {
  const { a, b } = inputs;
  if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) return null;
  const transposeA = Boolean(attrs.transposeA), transposeB = Boolean(attrs.transposeB);
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) throw new Error(`Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = sizeOf(outerA), batchB = sizeOf(outerB);
  // Equal batch shapes, or one side's all ones (broadcast: batch stride 0); anything else goes to the original.
  if (!sameShape(outerA, outerB) && batchA !== 1 && batchB !== 1) return null;
  const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = sizeOf(outer);
  const internals = backend as unknown as WasmInternals;
  const out = internals.makeOutput([batch, m, n], "float32");
  out.shape = [...outer, m, n];
  if (batch * m * n === 0) return out;
  // Offsets and the heap view after makeOutput, which may grow (and detach) the heap.
  const offset = (t: TensorInfo) => internals.dataIdMap.get(t.dataId)?.memoryOffset ?? 0;
  matmul(
    internals.wasm.HEAPU8,
    offset(out),
    offset(a),
    offset(b),
    batch,
    m,
    n,
    k,
    transposeA ? 1 : k, // A[r][t]: a is [m, k], or [k, m] transposed
    transposeA ? m : 1,
    transposeB ? k : 1, // B(q, t) = b[t][q]: b is [k, n], or [n, k] transposed
    transposeB ? 1 : n,
    batchA === 1 ? 0 : m * k,
    batchB === 1 ? 0 : k * n,
    m * n,
  );
  return out;
}

const sameShape = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
