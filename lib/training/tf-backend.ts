import type { GradSaveFunc, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { nativeMatMulActive, registerNativeMatMul } from "./native-matmul";
import { registerWasmBatchMatMul } from "./wasm-batch-matmul";

/**
 * The one place RecLab loads TensorFlow.js and picks its backend:
 *   1. `@tensorflow/tfjs-node` (native libtensorflow) when it is installed — an optional dependency;
 *   2. `@tensorflow/tfjs-backend-wasm` (SIMD; multi-threaded only where the platform allows it —
 *      not in Node, whose workers cannot load the blob: URL the threaded build needs);
 *   3. the pure-JS cpu backend, about 50x slower than wasm: a loud warning is logged.
 *
 * Everything is imported lazily (and hidden from the Next.js bundler): model files import only
 * types from `@tensorflow/tfjs` and call `loadTensorflow()` inside `fit()`, so app pages that read
 * the model registry never load TensorFlow.js. The result is cached: every call returns the same
 * promise. `RECLAB_TF_BACKEND=tfjs-node|wasm|cpu` forces one backend (tests, debugging).
 */

export type Tf = typeof import("@tensorflow/tfjs");
export type TfBackendName = "tfjs-node" | "wasm" | "cpu";
export interface LoadedTensorflow {
  tf: Tf;
  backend: TfBackendName;
}

let loading: Promise<LoadedTensorflow> | null = null;
let loaded: LoadedTensorflow | null = null;

export function loadTensorflow(): Promise<LoadedTensorflow> {
  loading ??= pickBackend().then((result) => (loaded = result));
  return loading;
}

/**
 * The already loaded TensorFlow.js, for synchronous code paths (`score`, `load`) of models that
 * were fitted in this process, or after the caller awaited `loadTensorflow()`.
 */
export function requireTensorflow(): LoadedTensorflow {
  if (!loaded) throw new Error("TensorFlow.js is not loaded yet: await loadTensorflow() before using a tfjs model");
  return loaded;
}

/** The name a run records for its compute backend ("tfjs-wasm", "tfjs-node", "tfjs-cpu"). */
export function runBackendLabel(backend: TfBackendName): string {
  return backend === "tfjs-node" ? "tfjs-node" : `tfjs-${backend}`;
}

// Specifiers in variables with bundler-ignore comments: Next.js must not trace or bundle these.
const TFJS = "@tensorflow/tfjs";
const TFJS_NODE = "@tensorflow/tfjs-node";
const TFJS_WASM = "@tensorflow/tfjs-backend-wasm";

/** Said once per process when the native backend is absent: what it would gain and how to get it. */
const TFJS_NODE_NOTICE = [
  "RecLab: @tensorflow/tfjs-node is not installed, so deep models run on TensorFlow.js's WebAssembly",
  "backend (one thread per run). The native backend runs dense layers on every core, typically several",
  "times faster. To use it, on a machine that can download libtensorflow: npm install @tensorflow/tfjs-node",
  "(RECLAB_TF_BACKEND=wasm silences this notice).",
].join("\n");

async function importModule<T>(specifier: string): Promise<T> {
  return (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ specifier)) as T;
}

async function pickBackend(): Promise<LoadedTensorflow> {
  const forced = process.env.RECLAB_TF_BACKEND as TfBackendName | undefined;
  if (forced && !["tfjs-node", "wasm", "cpu"].includes(forced)) {
    throw new Error(`RECLAB_TF_BACKEND must be tfjs-node, wasm or cpu (got "${forced}")`);
  }

  if (!forced || forced === "tfjs-node") {
    try {
      // tfjs-node re-exports the whole tfjs API and registers the "tensorflow" backend.
      const tf = await importModule<Tf>(TFJS_NODE);
      await tf.setBackend("tensorflow");
      await tf.ready();
      return { tf: unwrapDefault(tf), backend: "tfjs-node" };
    } catch (error) {
      if (forced) throw new Error(`RECLAB_TF_BACKEND=tfjs-node but @tensorflow/tfjs-node failed to load: ${errorMessage(error)}`);
      if (!process.env.VITEST) console.info(TFJS_NODE_NOTICE);
    }
  }

  const tf = unwrapDefault(await importModule<Tf>(TFJS));
  if (!forced || forced === "wasm") {
    try {
      await initWasm(tf);
      return { tf, backend: "wasm" };
    } catch (error) {
      if (forced) throw new Error(`RECLAB_TF_BACKEND=wasm but the wasm backend failed to load: ${errorMessage(error)}`);
      console.warn(
        [
          "=".repeat(78),
          "RecLab: the TensorFlow.js WASM backend FAILED to load; falling back to the pure-JS cpu",
          "backend, which is about 50x slower. Deep models will train very slowly.",
          `Reason: ${errorMessage(error)}`,
          "=".repeat(78),
        ].join("\n"),
      );
    }
  }
  await tf.setBackend("cpu");
  await tf.ready();
  return { tf, backend: "cpu" };
}

async function initWasm(tf: Tf): Promise<void> {
  const wasm = await importModule<typeof import("@tensorflow/tfjs-backend-wasm")>(TFJS_WASM);
  const { createRequire } = await importModule<typeof import("node:module")>("node:module");
  const path = await importModule<typeof import("node:path")>("node:path");
  // The .wasm binaries ship beside the package's JS; load them from disk, never from a URL.
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve(`${TFJS_WASM}/dist/tfjs-backend-wasm.wasm`));
  wasm.setWasmPaths(`${dir}${path.sep}`);
  if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') returned false");
  await tf.ready();
  registerWasmGradientKernels(tf);
  registerWasmBatchMatMul(tf);
  registerNativeMatMul(tf);
}

function unwrapDefault(mod: Tf): Tf {
  // A CommonJS module imported from ESM may arrive as { default: exports }.
  const maybe = mod as Tf & { default?: Tf };
  return typeof maybe.tensor === "function" ? mod : (maybe.default ?? mod);
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : typeof error === "object" && error && "message" in error ? String((error as { message: unknown }).message) : String(error));

// ---------------------------------------------------------------------------------------------
// Kernels the wasm backend lacks (measured on tfjs 4.22): UnsortedSegmentSum (the gradient of
// tf.gather, so of every embedding lookup) and Conv2DBackpropFilter (the gradient of a conv
// filter). Both are written in JS over the wasm heap, the way the backend's own kernels read
// inputs (typedArrayFromHeap) and allocate outputs (makeOutput).

let kernelsRegistered = false;

/** Registers the missing gradient kernels on the wasm backend (idempotent). Exported for tests. */
export function registerWasmGradientKernels(tf: Tf): void {
  if (kernelsRegistered) return;
  const have = new Set(tf.getKernelsForBackend("wasm").map((k) => k.kernelName));
  if (!have.has("UnsortedSegmentSum")) {
    tf.registerKernel({ kernelName: "UnsortedSegmentSum", backendName: "wasm", kernelFunc: unsortedSegmentSum as unknown as KernelFunc });
  }
  if (!have.has("Conv2DBackpropFilter")) {
    const kernelFunc = ((args: KernelArgs) => conv2dBackpropFilter(tf, args)) as unknown as KernelFunc;
    tf.registerKernel({ kernelName: "Conv2DBackpropFilter", backendName: "wasm", kernelFunc });
  }
  kernelsRegistered = true;
}

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs?: NamedAttrMap;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** out[segmentIds[i], ...] += x[i, ...]; segmentIds covers x's leading dimensions. */
function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, segmentIds } = inputs;
  const numSegments = Number(attrs?.numSegments);
  const inner = x.shape.slice(segmentIds.shape.length);
  const innerSize = sizeOf(inner);
  const out = backend.makeOutput([numSegments, ...inner], x.dtype);
  // Views after makeOutput: allocating may grow (and detach) the wasm heap.
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const o = backend.typedArrayFromHeap(out);
  o.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * innerSize, dst = s * innerSize;
    for (let j = 0; j < innerSize; j++) o[dst + j] += xs[src + j];
  }
  return out;
}

/** dW[r, c, i, o] = Σ_b,y,x x[b, y·s + r − pad, x·s + c − pad, i] · dy[b, y, x, o]. */
function conv2dBackpropFilter(tf: Tf, { inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs;
  const a = attrs ?? {};
  const dataFormat = tf.backend_util.convertConv2DDataFormat((a.dataFormat as "NHWC" | "NCHW") ?? "NHWC");
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape as [number, number, number, number],
    a.strides as [number, number] | number,
    1,
    a.pad as "valid" | "same" | number,
    a.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    dataFormat,
  );
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = info;
  const top = info.padInfo.top, left = info.padInfo.left;
  const last = info.dataFormat === "channelsLast";
  // Element strides of x and dy as (batch, row, column, channel).
  const [xB, xR, xC, xD] = last
    ? [info.inHeight * info.inWidth * ci, info.inWidth * ci, ci, 1]
    : [ci * info.inHeight * info.inWidth, info.inWidth, 1, info.inHeight * info.inWidth];
  const [yB, yR, yC, yD] = last
    ? [info.outHeight * info.outWidth * co, info.outWidth * co, co, 1]
    : [co * info.outHeight * info.outWidth, info.outWidth, 1, info.outHeight * info.outWidth];

  const out = backend.makeOutput([fh, fw, ci, co], "float32");
  const xs = backend.typedArrayFromHeap(x);
  const ds = backend.typedArrayFromHeap(dy);
  const dw = backend.typedArrayFromHeap(out);
  dw.fill(0);
  for (let b = 0; b < info.batchSize; b++) {
    for (let oy = 0; oy < info.outHeight; oy++) {
      for (let ox = 0; ox < info.outWidth; ox++) {
        const dyBase = b * yB + oy * yR + ox * yC;
        for (let r = 0; r < fh; r++) {
          const iy = oy * sh + r - top;
          if (iy < 0 || iy >= info.inHeight) continue;
          for (let c = 0; c < fw; c++) {
            const ix = ox * sw + c - left;
            if (ix < 0 || ix >= info.inWidth) continue;
            const xBase = b * xB + iy * xR + ix * xC;
            const wBase = (r * fw + c) * ci * co;
            for (let i = 0; i < ci; i++) {
              const xv = xs[xBase + i * xD];
              if (xv === 0) continue;
              const w = wBase + i * co;
              for (let o = 0; o < co; o++) dw[w + o] += xv * ds[dyBase + o * yD];
            }
          }
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * `a @ b` for 2-D tensors whose gradient avoids matMul's transpose flags, which run about 10x
 * slower than a plain matMul on XNNPACK: the backward pass materialises the transposes
 * (measured 2.9x faster for a softmax layer's backward). Use it for every trainable dense layer.
 * On the native matMul (./native-matmul.ts) the flags are free and the transposes are skipped.
 */
export function matMulFast(tf: Tf, a: Tensor, b: Tensor): Tensor {
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [x, y, save] = args as [Tensor, Tensor, GradSaveFunc];
    save([x, y]);
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [sx, sy] = saved;
        const g = dy as Tensor;
        if (nativeMatMulActive()) return [tf.matMul(g, sy, false, true), tf.matMul(sx, g, true, false)];
        return [tf.matMul(g, tf.transpose(sy)), tf.matMul(tf.transpose(sx), g)];
      },
    };
  });
  return op(a, b);
}

/** `a · bᵀ` for 2-D tensors: the transpose flag where it is free (the native matMul), else a materialised transpose. */
export function matMulTransposedB(tf: Tf, a: Tensor, b: Tensor): Tensor {
  return nativeMatMulActive() ? tf.matMul(a, b, false, true) : tf.matMul(a, tf.transpose(b));
}

/** `aᵀ · b` for 2-D tensors, as matMulTransposedB. */
export function matMulTransposedA(tf: Tf, a: Tensor, b: Tensor): Tensor {
  return nativeMatMulActive() ? tf.matMul(a, b, true, false) : tf.matMul(tf.transpose(a), b);
}

/**
 * `x @ w` where x is data (no gradient wanted): the backward pass computes only dW = xᵀ·dy and
 * returns zeros for x, saving the dX product that `matMulFast` would spend on an input batch.
 */
export function matMulConstInput(tf: Tf, x: Tensor, w: Tensor): Tensor {
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [xt, wt, save] = args as [Tensor, Tensor, GradSaveFunc];
    // Tensors used by gradFunc must go through save(): the forward pass's scope is disposed.
    save([xt]);
    return {
      value: tf.matMul(xt, wt),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => [tf.zerosLike(saved[0]), matMulTransposedA(tf, saved[0], dy as Tensor)],
    };
  });
  return op(x, w);
}
