import { describe, expect, it } from "vitest";
import type { Tensor } from "@tensorflow/tfjs";
import { loadTensorflow, matMulFast, type Tf } from "@/lib/training/tf-backend";
import { batchMatMul, FAST_BATCH_MATMUL } from "@/lib/training/wasm-batch-matmul";
import { Rng } from "@/lib/util/rng";

const { tf, backend }: { tf: Tf; backend: string } = await loadTensorflow();

function random(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** Runs `f` on the cpu backend and on the loaded backend, returning both results as arrays. */
async function onBoth(f: () => Tensor[]): Promise<{ cpu: Float32Array[]; here: Float32Array[] }> {
  const here = tf.tidy(f).map((t) => {
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return Float32Array.from(v);
  });
  const previous = tf.getBackend();
  await tf.setBackend("cpu");
  try {
    const cpu = tf.tidy(f).map((t) => {
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return Float32Array.from(v);
    });
    return { cpu, here };
  } finally {
    await tf.setBackend(previous);
  }
}

function expectClose(a: Float32Array, b: Float32Array, tol = 1e-4) {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
}

describe("loadTensorflow", () => {
  it("loads once and prefers a fast backend", async () => {
    const again = await loadTensorflow();
    expect(again.tf).toBe(tf);
    expect(loadTensorflow()).toBe(loadTensorflow());
    // tfjs-node is not installable on CI machines; wasm must load there (cpu is ~50x slower).
    expect(["tfjs-node", "wasm"]).toContain(backend);
  });
});

describe.runIf(backend === "wasm")("wasm gradient kernels match the cpu backend", () => {
  it("UnsortedSegmentSum: the gradient of tf.gather (embedding lookups), repeated indices included", async () => {
    const rng = new Rng(1);
    const table = random(rng, 20 * 6);
    const weights = random(rng, 9 * 6);
    const ids = Int32Array.from([3, 7, 3, 0, 19, 7, 7, 5, 3]);
    const { cpu, here } = await onBoth(() => {
      const e = tf.tensor2d(table, [20, 6]);
      const w = tf.tensor2d(weights, [9, 6]);
      const g = tf.grad((x: Tensor) => tf.sum(tf.mul(tf.gather(x, tf.tensor1d(ids, "int32")), w)))(e);
      return [g];
    });
    expectClose(here[0], cpu[0]);
  });

  it("UnsortedSegmentSum with 2-D indices (gathering a [batch, length] index matrix)", async () => {
    const rng = new Rng(2);
    const table = random(rng, 11 * 4);
    const ids = Int32Array.from([1, 2, 3, 1, 10, 0, 0, 0]);
    const { cpu, here } = await onBoth(() => {
      const e = tf.tensor2d(table, [11, 4]);
      const g = tf.grad((x: Tensor) => tf.sum(tf.square(tf.gather(x, tf.tensor2d(ids, [2, 4], "int32")))))(e);
      return [g];
    });
    expectClose(here[0], cpu[0]);
  });

  it.each([
    { label: "3x3, stride 1, same", filter: [3, 3, 2, 4], stride: 1, pad: "same" as const },
    { label: "3x2, stride 1, valid", filter: [3, 2, 1, 5], stride: 1, pad: "valid" as const },
    { label: "2x2, stride 2, valid", filter: [2, 2, 3, 2], stride: 2, pad: "valid" as const },
    { label: "full-width (Caser horizontal), valid", filter: [2, 6, 1, 3], stride: 1, pad: "valid" as const },
  ])("Conv2DBackpropFilter: $label", async ({ filter, stride, pad }) => {
    const rng = new Rng(3);
    const xShape = [2, 5, 6, filter[2]] as [number, number, number, number];
    const xs = random(rng, xShape.reduce((a, b) => a * b, 1));
    const ws = random(rng, filter.reduce((a, b) => a * b, 1));
    const { cpu, here } = await onBoth(() => {
      const x = tf.tensor4d(xs, xShape);
      const w = tf.tensor4d(ws, filter as [number, number, number, number]);
      const [gx, gw] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.square(tf.conv2d(a as never, b as never, stride, pad))))([x, w]);
      return [gx, gw];
    });
    expectClose(here[0], cpu[0]);
    expectClose(here[1], cpu[1]);
  });
});

describe("matMulFast", () => {
  it("has the same value and gradients as tf.matMul", () => {
    const rng = new Rng(4);
    const av = random(rng, 5 * 7), bv = random(rng, 7 * 3), wv = random(rng, 5 * 3);
    const [fast, plain] = [true, false].map((useFast) =>
      tf.tidy(() => {
        const a = tf.tensor2d(av, [5, 7]), b = tf.tensor2d(bv, [7, 3]), w = tf.tensor2d(wv, [5, 3]);
        const mm = (x: Tensor, y: Tensor) => (useFast ? matMulFast(tf, x, y) : tf.matMul(x, y));
        const [ga, gb] = tf.grads((x: Tensor, y: Tensor) => tf.sum(tf.mul(tf.tanh(mm(x, y)), w)))([a, b]);
        return [mm(a, b), ga, gb].map((t) => Float32Array.from(t.dataSync()));
      }),
    );
    for (let i = 0; i < 3; i++) expectClose(fast[i], plain[i], 1e-5);
  });
});

describe.runIf(backend === "wasm")("batchMatMul on wasm (per-element XNNPACK views)", () => {
  it.each([
    { label: "attention scores [6, 5, 4] x [6, 4, 5]", a: [6, 5, 4], b: [6, 4, 5] },
    { label: "attention context [3, 7, 7] x [3, 7, 2]", a: [3, 7, 7], b: [3, 7, 2] },
    { label: "a batch of one", a: [1, 3, 8], b: [1, 8, 9] },
  ])("matches the cpu backend's matMul: $label", async ({ a, b }) => {
    expect(tf.getKernel(FAST_BATCH_MATMUL, "wasm"), "registered when the wasm backend loads").toBeDefined();
    const rng = new Rng(5);
    const av = random(rng, a[0] * a[1] * a[2]), bv = random(rng, b[0] * b[1] * b[2]);
    const here = tf.tidy(() => Float32Array.from(batchMatMul(tf, tf.tensor3d(av, a as never), tf.tensor3d(bv, b as never)).dataSync()));
    const { cpu } = await onBoth(() => [tf.matMul(tf.tensor3d(av, a as never), tf.tensor3d(bv, b as never))]);
    expectClose(here, cpu[0], 1e-5);
  });

  it("holds no tensors and grows no heap across many calls", () => {
    const a = tf.randomNormal([8, 20, 16]), b = tf.randomNormal([8, 16, 20]);
    const run = () => tf.dispose(batchMatMul(tf, a, b));
    for (let i = 0; i < 50; i++) run();
    const tensors = tf.memory().numTensors, bytes = tf.memory().numBytes;
    const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    for (let i = 0; i < 2000; i++) run();
    expect(tf.memory()).toMatchObject({ numTensors: tensors, numBytes: bytes });
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length).toBe(heap);
    tf.dispose([a, b]);
  });
});

describe("the TensorFlow.js internals RecLab relies on", () => {
  it("are those of the pinned version (an upgrade must re-check lib/training/wasm-batch-matmul.ts and the gradient kernels)", async () => {
    const { createRequire } = await import("node:module");
    const require = createRequire(import.meta.url);
    const pinned = (require("../../../package.json") as { dependencies: Record<string, string> }).dependencies;
    for (const name of ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"]) {
      const installed = (require(`${name}/package.json`) as { version: string }).version;
      expect(pinned[name], `${name} must be pinned to an exact version in package.json`).toMatch(/^\d+\.\d+\.\d+$/);
      expect(installed, `${name} ${installed} is installed but RecLab was verified against ${pinned[name]}: run npm ci`).toBe(pinned[name]);
    }
  });

  it.runIf(backend === "wasm")("wasm: the backend still exposes the heap bookkeeping the batched matMul kernel reads", () => {
    const internals = tf.backend() as unknown as { dataIdMap?: { get?: unknown }; dataIdNextNumber?: unknown; wasm?: { cwrap?: unknown; tfjs?: { registerTensor?: unknown; disposeData?: unknown } } };
    const missing = [
      typeof internals.dataIdMap?.get === "function" ? null : "dataIdMap.get",
      typeof internals.dataIdNextNumber === "number" ? null : "dataIdNextNumber",
      typeof internals.wasm?.cwrap === "function" ? null : "wasm.cwrap",
      typeof internals.wasm?.tfjs?.registerTensor === "function" ? null : "wasm.tfjs.registerTensor",
      typeof internals.wasm?.tfjs?.disposeData === "function" ? null : "wasm.tfjs.disposeData",
    ].filter(Boolean);
    expect(missing, `the wasm backend no longer has ${missing.join(", ")}: lib/training/wasm-batch-matmul.ts must be updated`).toEqual([]);
    expect(tf.getKernel(FAST_BATCH_MATMUL, "wasm"), "RecLab's batched matMul kernel is not registered").toBeDefined();
    for (const kernel of ["UnsortedSegmentSum"]) expect(tf.getKernel(kernel, "wasm"), `${kernel} is missing on wasm`).toBeDefined();
  });
});
