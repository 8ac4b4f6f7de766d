import type { Worker } from "node:worker_threads";
import { stopIfInterrupted } from "./interrupt";
import { PendingReplies } from "./pending-replies";
import { CALL_ARITY, kernelName, linalgModule, type Workspace } from "./wasm-kernel";

/**
 * Runs lists of kernel calls over a workspace on the calling thread plus `threads − 1` workers
 * that share its WebAssembly memory. A phase is a list of row chunks (each a fixed list of calls
 * on a global grid, so the result does not depend on the thread count); chunks are dealt out in
 * contiguous runs of about equal cost, the calling thread taking the first run.
 */

/**
 * The worker program: bind the kernel to the shared memory — the native addon (loaded with
 * process.dlopen, context-aware) when the workspace uses it, else a WebAssembly instance — then
 * run call lists.
 */
const WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
let f;
if (workerData.nativeFile) {
  const mod = { exports: {} };
  process.dlopen(mod, workerData.nativeFile);
  const g = mod.exports[workerData.fn];
  const view = new Uint8Array(workerData.memory.buffer);
  f = (c, ldc, a, lda, b, ldb, rows, cols, k, mode, lower) => g(view, c, ldc, a, lda, b, ldb, rows, cols, k, mode, lower);
} else {
  const instance = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } });
  f = instance.exports[workerData.fn];
  // Warm-up (see warmUp in ./wasm-kernel.ts) on scratch that is not in use until "ready" is received.
  for (let rep = 0; rep < 24; rep++) f(workerData.scratch, 32, workerData.scratch + 8192, 64, workerData.scratch + 16384, 64, 32, 32, 64, 0, -1);
}
parentPort.postMessage({ ready: true });
parentPort.on("message", (msg) => {
  try {
    const c = msg.calls;
    for (let p = 0; p < c.length; p += ${CALL_ARITY}) f(c[p], c[p + 1], c[p + 2], c[p + 3], c[p + 4], c[p + 5], c[p + 6], c[p + 7], c[p + 8], c[p + 9], c[p + 10]);
    parentPort.postMessage({ done: msg.id });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.stack) || error), id: msg.id });
  }
});
`;

/** Kernel calls for one chunk of rows, flattened (CALL_ARITY numbers each), and its relative cost. */
export interface Chunk {
  calls: number[];
  cost: number;
}

export class KernelPool {
  private workers: Worker[] = [];
  private readonly replies = new PendingReplies();
  private constructor(
    private readonly ws: Workspace,
    /** Checked before each step's chunks are dealt out (LinalgOptions.interrupted in ./cholesky.ts). */
    private readonly interrupted: (() => Promise<boolean>) | undefined,
  ) {}

  static async open(ws: Workspace, threads: number, interrupted?: () => Promise<boolean>): Promise<KernelPool> {
    const pool = new KernelPool(ws, interrupted);
    const module = linalgModule();
    if (threads > 1 && module) {
      const { Worker } = await import("node:worker_threads");
      const ready: Promise<void>[] = [];
      for (let t = 1; t < threads; t++) {
        const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: ws.memory, fn: kernelName(ws.type), scratch: ws.diag * ws.bytesPerElement, nativeFile: ws.nativeFile } });
        ready.push(
          new Promise<void>((resolve, reject) => {
            w.once("message", () => resolve());
            w.once("error", reject);
          }),
        );
        pool.workers.push(w);
      }
      try {
        await Promise.all(ready);
      } catch (e) {
        await pool.close();
        throw e;
      }
      for (const w of pool.workers) {
        w.on("message", (msg: { done?: number; error?: string }) => pool.replies.settle(msg));
        w.on("error", (e) => pool.replies.failAll(e));
      }
    }
    return pool;
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  private send(w: Worker, calls: Float64Array): Promise<void> {
    const { id, done } = this.replies.open();
    w.postMessage({ id, calls }, [calls.buffer as ArrayBuffer]);
    return done;
  }

  /** Runs every chunk's calls; returns when all threads are done. */
  async run(chunks: Chunk[]): Promise<void> {
    await stopIfInterrupted(this.interrupted);
    const parts = splitByCost(chunks, this.threads);
    const waits: Promise<void>[] = [];
    for (let t = 1; t < parts.length; t++) if (parts[t].length > 0) waits.push(this.send(this.workers[t - 1], flatten(parts[t])));
    const f = this.ws.kernel;
    for (const { calls: c } of parts[0]) {
      for (let p = 0; p < c.length; p += CALL_ARITY) f(c[p], c[p + 1], c[p + 2], c[p + 3], c[p + 4], c[p + 5], c[p + 6], c[p + 7], c[p + 8], c[p + 9], c[p + 10]);
    }
    await Promise.all(waits);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }
}

function flatten(chunks: Chunk[]): Float64Array {
  let len = 0;
  for (const c of chunks) len += c.calls.length;
  const out = new Float64Array(len);
  let at = 0;
  for (const c of chunks) {
    out.set(c.calls, at);
    at += c.calls.length;
  }
  return out;
}

/** Contiguous runs of chunks with about equal total cost, one per thread (some may be empty). */
export function splitByCost(chunks: Chunk[], parts: number): Chunk[][] {
  const out: Chunk[][] = Array.from({ length: parts }, () => []);
  let total = 0;
  for (const c of chunks) total += c.cost;
  let sum = 0;
  for (const c of chunks) {
    // A chunk goes to the part its cost midpoint falls in.
    const t = Math.min(parts - 1, Math.floor(((sum + c.cost / 2) * parts) / Math.max(total, 1e-300)));
    out[t].push(c);
    sum += c.cost;
  }
  return out;
}
