import type { Scalar, Tensor, Variable } from "@tensorflow/tfjs";
import { Rng } from "../../util/rng";
import { mix32 } from "../seeding";
import { readFloats } from "../tensor-memory";
import type { Tf } from "../tf-backend";
import { siblingModule, ThreadPool } from "./pool";

export { splitContiguous } from "./split";

/**
 * Synchronous data-parallel gradients for TensorFlow.js models over worker threads.
 *
 * Every thread holds a replica of the model (its own wasm backend, the same named variables).
 * A step's batch is cut by `splitBatch` into one contiguous shard per thread; shard 0 runs on
 * the calling thread, shard s on pool thread s − 1. Each shard's gradient of its mean loss goes
 * into its own slot of a SharedArrayBuffer; the caller then sums the slots in shard order,
 * each weighted by its share of the batch's loss terms — a fixed reduction order, so a seed and
 * a thread count always give the same bits. The optimizer runs once, on the calling thread, and
 * `publishWeights` copies the new weights into a shared buffer the replicas load before their
 * next shard: no replica ever holds optimizer state, so checkpoints are the caller's alone.
 * Each shard draws its randomness (dropout) from its own generator, seeded by (seed, epoch,
 * step, shard).
 */

/** What a replica is: named variables and the mean loss of a shard. */
export interface Replica<B> {
  vars: Record<string, Variable>;
  /** Mean loss over the shard's `lossTerms(shard)` terms. */
  loss(shard: B, rng: Rng): Scalar;
  /** How many terms the shard's mean loss averages (targets, examples); 0 skips the shard. */
  lossTerms(shard: B): number;
  dispose?(): void;
}

/** Where a pool thread gets its replica: `module`'s export `exportName` called with `init`. */
export interface ReplicaSource {
  /** File URL of the module (e.g. the model file's `import.meta.url`). */
  module: string;
  exportName: string;
  /** Structured-cloneable (typed arrays, SharedArrayBuffers, plain objects). */
  init: unknown;
}

/** Init of the generic replica task (./replica-task.ts) on a pool thread. */
export interface ReplicaTaskInit {
  replica: { module: string; exportName: string; init: unknown };
  names: string[];
  sizes: number[];
  weights: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  slot: number;
}

export interface ShardRequest<B> {
  version: number;
  shard: B;
  seed: number;
}

export interface ShardResult {
  loss: number;
  /** Indices (into names) of the variables the shard's loss reached. */
  present: number[];
}

export interface ParallelStep {
  /** Weighted mean gradient per variable name (absent: no shard reached it). */
  grads: Record<string, Tensor>;
  /** The batch's mean loss. */
  loss: number;
}

export class DataParallelGradients<B> {
  private readonly names: string[];
  private readonly sizes: number[];
  private readonly offsets: number[];
  private readonly total: number;
  private readonly weights: Float32Array;
  private readonly slots: Float32Array[];
  private readonly sum: Float32Array;
  private version = 0;

  private constructor(
    private readonly tf: Tf,
    private readonly local: Replica<B>,
    private readonly pool: ThreadPool,
    weightsBuffer: SharedArrayBuffer,
    gradsBuffer: SharedArrayBuffer,
    private readonly splitBatch: (batch: B, parts: number) => B[],
  ) {
    this.names = Object.keys(local.vars);
    this.sizes = this.names.map((n) => local.vars[n].size);
    this.offsets = [];
    let offset = 0;
    for (const size of this.sizes) {
      this.offsets.push(offset);
      offset += size;
    }
    this.total = offset;
    this.sum = new Float32Array(offset);
    this.weights = new Float32Array(weightsBuffer);
    this.slots = Array.from({ length: pool.size + 1 }, (_, s) => new Float32Array(gradsBuffer, s * offset * 4, offset));
  }

  /** Opens `threads − 1` pool threads (threads ≥ 2) with replicas from `source`, weights as `local`'s. */
  static async open<B>(tf: Tf, threads: number, local: Replica<B>, source: ReplicaSource, splitBatch: (batch: B, parts: number) => B[]): Promise<DataParallelGradients<B>> {
    if (!Number.isInteger(threads) || threads < 2) throw new Error(`data-parallel training needs at least 2 threads (got ${threads})`);
    const names = Object.keys(local.vars);
    const sizes = names.map((n) => local.vars[n].size);
    const total = sizes.reduce((a, b) => a + b, 0);
    const weights = new SharedArrayBuffer(total * 4);
    const grads = new SharedArrayBuffer(total * 4 * threads);
    const pool = await ThreadPool.open(threads - 1, siblingModule(import.meta.url, "replica-task.ts"), "createReplicaTask", (i): ReplicaTaskInit => ({
      replica: { module: source.module, exportName: source.exportName, init: source.init },
      names,
      sizes,
      weights,
      grads,
      slot: i + 1,
    }));
    const dp = new DataParallelGradients(tf, local, pool, weights, grads, splitBatch);
    dp.publishWeights();
    return dp;
  }

  get threads(): number {
    return this.pool.size + 1;
  }

  /** Copies the local weights (after an optimizer step, or a load) to the replicas. */
  publishWeights(): void {
    this.names.forEach((name, k) => this.weights.set(readFloats(this.tf, this.local.vars[name]), this.offsets[k]));
    this.version++;
  }

  /**
   * The gradient of the batch's mean loss, computed shard by shard across the threads. `seed`
   * identifies the step (mix of run seed, epoch and step): shard s draws from Rng(mix32(seed, s)).
   * Dispose the returned tensors (or call inside tf.tidy).
   */
  async step(batch: B, seed: number): Promise<ParallelStep> {
    const shards = this.splitBatch(batch, this.threads);
    const terms = shards.map((s) => this.local.lossTerms(s));
    const all = terms.reduce((a, b) => a + b, 0);
    const remote = shards.slice(1).map((shard, i) =>
      terms[i + 1] > 0 ? this.pool.run<ShardResult>(i, { version: this.version, shard, seed: mix32(seed, i + 1) } satisfies ShardRequest<B>) : Promise.resolve(null),
    );
    // Answers in flight must not surface as unhandled rejections if the local shard throws.
    for (const p of remote) p.catch(() => undefined);
    const results: (ShardResult | null)[] = [terms[0] > 0 ? computeShard(this.tf, this.local, this.names, this.offsets, this.slots[0], shards[0], mix32(seed, 0)) : null];
    results.push(...(await Promise.all(remote)));

    // Reused where tf.tensor copies its values into the backend (wasm); the cpu backend keeps them.
    const out = this.tf.getBackend() === "wasm" ? this.sum.fill(0) : new Float32Array(this.total);
    const present = new Uint8Array(this.names.length);
    let loss = 0;
    results.forEach((r, s) => {
      if (!r || all === 0) return;
      const share = terms[s] / all;
      loss += share * r.loss;
      const slot = this.slots[s];
      for (const k of r.present) {
        present[k] = 1;
        const start = this.offsets[k], end = start + this.sizes[k];
        for (let i = start; i < end; i++) out[i] += share * slot[i];
      }
    });
    const grads: Record<string, Tensor> = {};
    this.names.forEach((name, k) => {
      if (present[k]) grads[name] = this.tf.tensor(out.subarray(this.offsets[k], this.offsets[k] + this.sizes[k]), this.local.vars[name].shape);
    });
    return { grads, loss };
  }

  /** Normal end: replicas freed, threads kept for the next fit. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** Cancellation or failure: threads killed. */
  terminate(): void {
    this.pool.terminate();
  }
}

/** One shard's gradient written into `slot` (variables in `names` order); used on every thread. */
export function computeShard<B>(tf: Tf, replica: Replica<B>, names: string[], offsets: number[], slot: Float32Array, shard: B, seed: number): ShardResult {
  const rng = new Rng(seed);
  const vars = names.map((n) => replica.vars[n]);
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => replica.loss(shard, rng), vars);
    const present: number[] = [];
    vars.forEach((v, k) => {
      const g = grads[v.name];
      if (!g) return;
      slot.set(readFloats(tf, g), offsets[k]);
      present.push(k);
    });
    return { loss: value.dataSync()[0], present };
  });
}
