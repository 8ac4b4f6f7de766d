import type { Tensor, TensorInfo } from "@tensorflow/tfjs";
import type { Tf } from "./tf-backend";

/**
 * Direct access to a float32 tensor's memory on the backends that keep it in this process: the
 * wasm heap or the cpu backend's arrays. RecLab's fused kernels (the optimizers' update, NeuMF's
 * embedding gathers and scatter-adds) read and write tensors through these views instead of
 * chaining tf ops, each of which allocates.
 *
 * A wasm view is invalidated when the heap grows: take views after the last allocation a
 * kernel makes and do not keep them across tf calls.
 */

interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { refCount: number } | undefined };
  typedArrayFromHeap(t: { shape: number[]; dtype: string; dataId: object }): Float32Array | Int32Array | Uint8Array;
}
interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown; refCount: number } | undefined };
}

/** True when `memoryView` can reach tensors on the active backend. */
export function hasMemoryViews(tf: Tf): boolean {
  const name = tf.getBackend();
  return name === "wasm" || name === "cpu";
}

/**
 * A Float32Array over a tensor's memory on the wasm or cpu backend (null elsewhere). With
 * `exclusive`, null unless this tensor is the only holder of that memory, so writing is safe.
 */
export function memoryView(tf: Tf, t: Tensor, exclusive: boolean): Float32Array | null {
  if (t.dtype !== "float32") return null;
  const name = tf.getBackend();
  if (name === "wasm") {
    const backend = tf.backend() as unknown as WasmBackendLike;
    const entry = backend.dataIdMap.get(t.dataId);
    if (!entry || (exclusive && entry.refCount !== 1)) return null;
    return backend.typedArrayFromHeap(t) as Float32Array;
  }
  if (name === "cpu") {
    const backend = tf.backend() as unknown as CpuBackendLike;
    const entry = backend.data.get(t.dataId);
    if (!entry || !(entry.values instanceof Float32Array) || (exclusive && entry.refCount !== 1)) return null;
    return entry.values;
  }
  return null;
}

/** `memoryView` that throws where memory is unreachable (callers check `hasMemoryViews` first). */
export function viewOf(tf: Tf, t: Tensor, exclusive = false): Float32Array {
  const v = memoryView(tf, t, exclusive);
  if (!v) throw new Error(`tensor memory is not reachable on the ${tf.getBackend()} backend${exclusive ? " (or is shared)" : ""}`);
  return v;
}

/**
 * A float32 tensor's values for an immediate copy: a view of the backend's memory where it is
 * reachable (no intermediate copy: dataSync allocates and copies, the larger part of an exchange
 * of every weight or gradient per step), else dataSync.
 */
export function readFloats(tf: Tf, t: Tensor): Float32Array {
  return memoryView(tf, t, false) ?? (t.dataSync() as Float32Array);
}

/**
 * A float32 tensor for a kernel that writes every element: on wasm its memory comes from the
 * backend's allocator uninitialised (tf.zeros builds a JS array and copies it into the heap,
 * which costs as much as a simple kernel's pass); zeros on the other backends.
 */
export function uninitializedTensor(tf: Tf, shape: number[]): Tensor {
  if (tf.getBackend() !== "wasm") return tf.zeros(shape);
  const backend = tf.backend() as unknown as { makeOutput(shape: number[], dtype: "float32"): TensorInfo };
  return tf.engine().makeTensorFromTensorInfo(backend.makeOutput(shape, "float32"));
}

/** A zero-filled float32 tensor (gradient accumulators): on wasm, filled in place instead of copied in. */
export function zeroTensor(tf: Tf, shape: number[]): Tensor {
  const t = uninitializedTensor(tf, shape);
  if (tf.getBackend() === "wasm") viewOf(tf, t, true).fill(0);
  return t;
}
