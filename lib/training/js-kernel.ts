import type { KernelFunc, NamedTensorInfoMap, Tensor, TensorInfo } from "@tensorflow/tfjs";
import type { Tf } from "./tf-backend";

/**
 * Element-wise work written in JS directly on tensor memory: `compute` reads its inputs and
 * writes its outputs (zero-filled, float32) as views of the wasm heap, or of the cpu backend's
 * arrays, with no copy and no JS allocation. On this VM a dataSync() of a [16, 50, 64] tensor
 * (a copy into a fresh buffer) cost more than the arithmetic a fused layer norm does on it, and
 * each chained tf op allocates its output; one of these kernels replaces a dozen such ops.
 * Elsewhere (tfjs-node) the inputs are read with dataSync and the outputs uploaded: the same
 * results, slower.
 *
 * The kernel has no gradient: call it inside tf.customGrad (forward or gradFunc), where ops are
 * not recorded on the tape. Views are valid only during `compute`.
 */
export type JsCompute = (inputs: Float32Array[], outputs: Float32Array[]) => void;

const KERNEL = "ReclabJsKernel";
const registered = new Set<string>();

interface Attrs {
  shapes: number[][];
  compute: JsCompute;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}
interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): TensorInfo;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const ordered = (inputs: NamedTensorInfoMap) => Object.keys(inputs).sort((a, b) => Number(a) - Number(b)).map((k) => inputs[k]!);

function wasmKernel({ inputs, backend, attrs }: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: Attrs }): TensorInfo[] {
  const outs = attrs.shapes.map((s) => backend.makeOutput(s, "float32"));
  // Views after the last allocation: makeOutput may grow (and detach) the heap.
  const outViews = outs.map((o) => backend.typedArrayFromHeap(o));
  for (const v of outViews) v.fill(0);
  attrs.compute(ordered(inputs).map((t) => backend.typedArrayFromHeap(t)), outViews);
  return outs;
}

function cpuKernel({ inputs, backend, attrs }: { inputs: NamedTensorInfoMap; backend: CpuBackend; attrs: Attrs }): TensorInfo[] {
  const outViews = attrs.shapes.map((s) => new Float32Array(sizeOf(s)));
  attrs.compute(ordered(inputs).map((t) => backend.data.get(t.dataId)!.values as Float32Array), outViews);
  return outViews.map((v, i) => backend.makeTensorInfo(attrs.shapes[i], "float32", v));
}

/** Runs `compute` over float32 `inputs` into new tensors of `shapes` (see above). */
export function jsKernel(tf: Tf, inputs: Tensor[], shapes: number[][], compute: JsCompute): Tensor[] {
  const backend = tf.getBackend();
  if (backend === "wasm" || backend === "cpu") {
    if (!registered.has(backend) && !tf.getKernel(KERNEL, backend)) {
      const kernelFunc = (backend === "wasm" ? wasmKernel : cpuKernel) as unknown as KernelFunc;
      tf.registerKernel({ kernelName: KERNEL, backendName: backend, kernelFunc });
    }
    registered.add(backend);
    const named: Record<string, Tensor> = {};
    inputs.forEach((t, i) => (named[i] = t));
    const out = tf.engine().runKernel(KERNEL, named, { shapes, compute } as unknown as Record<string, never>);
    return Array.isArray(out) ? (out as Tensor[]) : [out as Tensor];
  }
  const outViews = shapes.map((s) => new Float32Array(sizeOf(s)));
  compute(
    inputs.map((t) => t.dataSync() as Float32Array),
    outViews,
  );
  return outViews.map((v, i) => tf.tensor(v, shapes[i]));
}
