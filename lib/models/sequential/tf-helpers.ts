import type * as TfModule from "@tensorflow/tfjs";
import type { Tensor, Tensor1D, Tensor2D, Tensor3D, Variable } from "@tensorflow/tfjs";
import { badInput } from "../../errors";
import { Rng } from "../../util/rng";
import { loadTensorflow, matMulFast, requireTensorflow } from "../../training/tf-backend";
import { batchMatMul } from "../../training/wasm-batch-matmul";
import type { ModelState } from "../types";

/**
 * TensorFlow.js plumbing shared by the sequential models: lazy loading (model files never import
 * tfjs at the top level — the registry is imported by Next.js pages), seeded weight
 * initialisation, save/load of named weights, and the few fused ops the models need.
 */

export type Tf = typeof TfModule;

/** Loads TensorFlow.js through the shared backend selection (tfjs-node, else wasm, else cpu). */
export async function loadTf(): Promise<{ tf: Tf; backend: string }> {
  return loadTensorflow();
}

/**
 * The already-loaded module, for the synchronous `score`/`load` of the contract. A model that
 * was fitted in this process has loaded it; a worker that only loads a checkpoint awaits
 * `loadTf()` first.
 */
export function loadedTf(): Tf {
  return requireTensorflow().tf;
}

/** How a weight is initialised. */
export type Init = { kind: "normal"; std: number } | { kind: "uniform"; limit: number } | { kind: "zeros" } | { kind: "ones" };

/** Glorot/Xavier uniform limit for a fanIn × fanOut matrix. */
export const glorot = (fanIn: number, fanOut: number): Init => ({ kind: "uniform", limit: Math.sqrt(6 / (fanIn + fanOut)) });

/**
 * Named trainable weights. Values are drawn from the seeded Rng (never tfjs's own random ops),
 * so the same seed gives the same weights on every backend; save/load are by name and shape.
 */
export class WeightBag {
  readonly vars: Record<string, Variable> = {};
  private readonly shapes: Record<string, number[]> = {};

  constructor(private readonly tf: Tf) {}

  add(name: string, shape: number[], init: Init, rng: Rng): Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (init.kind === "normal") for (let i = 0; i < size; i++) values[i] = init.std * rng.normal();
    else if (init.kind === "uniform") for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * init.limit;
    else if (init.kind === "ones") values.fill(1);
    return this.set(name, shape, values);
  }

  /** A weight with the given initial values. */
  addValues(name: string, shape: number[], values: Float32Array): Variable {
    return this.set(name, shape, values);
  }

  /** Defines the expected shape of a weight that `load` will fill. */
  declare(name: string, shape: number[]): void {
    this.shapes[name] = shape;
  }

  get(name: string): Variable {
    const v = this.vars[name];
    if (!v) throw new Error(`weight "${name}" is missing`);
    return v;
  }

  list(): Variable[] {
    return Object.values(this.vars);
  }

  /** Copies of every weight, for ModelState.arrays (prefixed so JSON fields never collide). */
  save(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [name, v] of Object.entries(this.vars)) out[`w.${name}`] = Float32Array.from(v.dataSync() as Float32Array);
    return out;
  }

  /** Replaces every declared weight from a saved state; shapes are checked. */
  load(state: ModelState): void {
    for (const [name, shape] of Object.entries(this.shapes)) {
      const a = state.arrays[`w.${name}`];
      const size = shape.reduce((x, y) => x * y, 1);
      if (!(a instanceof Float32Array) || a.length !== size) {
        throw badInput(`model state has no weight "${name}" of ${size} values (shape ${shape.join("x")})`);
      }
      this.set(name, shape, a);
    }
  }

  dispose(): void {
    for (const v of Object.values(this.vars)) v.dispose();
    for (const name of Object.keys(this.vars)) delete this.vars[name];
  }

  private set(name: string, shape: number[], values: Float32Array): Variable {
    this.shapes[name] = shape;
    const existing = this.vars[name];
    if (existing) {
      this.tf.tidy(() => existing.assign(this.tf.tensor(values, shape)));
      return existing;
    }
    const v = this.tf.tidy(() => this.tf.variable(this.tf.tensor(values, shape), true, `${name}_${nextId++}`));
    this.vars[name] = v;
    return v;
  }
}

let nextId = 0;

/** 2-D matmul for hot paths: the shared matMulFast (materialised transposes in the backward pass). */
export function mm(tf: Tf, a: Tensor2D, b: Tensor2D): Tensor2D {
  return matMulFast(tf, a, b) as Tensor2D;
}

/**
 * Batched matmul a [b, m, k] × c [b, k, n] through the fast per-element kernel on wasm
 * (lib/training/wasm-batch-matmul.ts), whose backward pass materialises the transposes (the
 * autodiff of tf.matMul uses transpose flags, about 10x slower on wasm).
 */
export function bmm(tf: Tf, a: Tensor, c: Tensor): Tensor {
  const op = tf.customGrad((...args) => {
    const [x, y, save] = args as unknown as [Tensor, Tensor, (tensors: Tensor[]) => void];
    save([x, y]);
    return {
      value: batchMatMul(tf, x, y),
      gradFunc: (dy, saved) => {
        const [sx, sy] = saved as Tensor3D[];
        return [batchMatMul(tf, dy as Tensor3D, tf.transpose(sy, [0, 2, 1])), batchMatMul(tf, tf.transpose(sx, [0, 2, 1]), dy as Tensor3D)];
      },
    };
  });
  return op(a, c);
}

/** x [..., k] × w [k, n] -> [..., n], through a 2-D reshape so the fast matmul applies. */
export function dense(tf: Tf, x: Tensor, w: Tensor2D, b?: Tensor1D): Tensor {
  const k = x.shape[x.shape.length - 1];
  const lead = x.shape.slice(0, -1);
  let y: Tensor = mm(tf, tf.reshape(x, [-1, k]) as Tensor2D, w);
  if (b) y = tf.add(y, b);
  return tf.reshape(y, [...lead, w.shape[1]]);
}

/** Layer normalisation over the last axis (Ba et al. 2016). */
export function layerNorm(tf: Tf, x: Tensor, gamma: Tensor1D, beta: Tensor1D, eps = 1e-8): Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
}

/**
 * Inverted dropout, the mask drawn in JS from the model's Rng (deterministic per seed); identity
 * when off. tf.dropout draws through tfjs's per-element JS random ops, several times slower.
 */
export function dropout(tf: Tf, x: Tensor, rate: number, rng: Rng | null): Tensor {
  if (!rng || rate <= 0) return x;
  const mask = new Float32Array(x.size);
  const keep = 1 - rate, scale = 1 / keep;
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < keep ? scale : 0;
  return tf.mul(x, tf.tensor(mask, x.shape));
}

/**
 * Rows `indices` of a 2-D `table` ([indices.length, d]), an embedding lookup. Rows equal to
 * `padding` read as zeros and get no gradient. Forward and backward are row copies in JS: the
 * wasm GatherV2 kernel and its gradient move data element by element, about 5x slower.
 */
export function gatherRows(tf: Tf, table: Tensor, indices: Int32Array, padding = -1): Tensor2D {
  const [rows, d] = table.shape as [number, number];
  const n = indices.length;
  const op = tf.customGrad((...args) => {
    const [t] = args as unknown as [Tensor2D];
    const src = t.dataSync() as Float32Array;
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const r = indices[i];
      if (r !== padding) out.set(src.subarray(r * d, r * d + d), i * d);
    }
    return {
      value: tf.tensor2d(out, [n, d]),
      gradFunc: (dy) => {
        const g = (dy as Tensor).dataSync() as Float32Array;
        const acc = new Float32Array(rows * d);
        for (let i = 0; i < n; i++) {
          const r = indices[i];
          if (r === padding) continue;
          const o = r * d, src0 = i * d;
          for (let j = 0; j < d; j++) acc[o + j] += g[src0 + j];
        }
        return [tf.tensor2d(acc, [rows, d])];
      },
    };
  });
  return op(table as Tensor2D) as Tensor2D;
}

/**
 * Mean full-softmax cross-entropy of next-item logits `h · Wᵀ` against `targets` [n] (item
 * indices into W's rows), for hidden states `h` [n, d] and output item vectors `items` [c, d].
 * The gradient is written by hand as (softmax − one-hot) / n without materialising the one-hot:
 * dh = (P·W − W[targets]) / n and dW = (Pᵀ·h − Σ h into rows targets) / n. On wasm the native
 * softmax is ~7x faster than logSoftmax, and every [n, c] op saved matters: this layer is the
 * hot spot of every sequential model.
 */
export function fullSoftmaxCrossEntropy(tf: Tf, h: Tensor2D, items: Tensor2D, targets: Tensor1D | Int32Array): Tensor {
  const n = h.shape[0];
  const c = items.shape[0];
  const t = targets instanceof Int32Array ? targets : (targets.dataSync() as Int32Array);
  const f = tf.customGrad((...args) => {
    const [x, w, save] = args as unknown as [Tensor2D, Tensor2D, (tensors: Tensor[]) => void];
    const p = tf.softmax(tf.matMul(x, tf.transpose(w) as Tensor2D));
    save([x, w, p]);
    const probs = p.dataSync() as Float32Array;
    let sum = 0;
    for (let i = 0; i < n; i++) sum -= Math.log(probs[i * c + t[i]] + 1e-12);
    return {
      value: tf.scalar(sum / n),
      gradFunc: (dy, saved) => {
        const [sx, sw, sp] = saved as [Tensor2D, Tensor2D, Tensor2D];
        const scale = tf.div(dy as Tensor, n);
        const dx = tf.mul(tf.sub(tf.matMul(sp, sw), gatherRows(tf, sw, t)), scale);
        // Pᵀ·h as (hᵀ·P)ᵀ: only the small [n, d] and [d, c] matrices are transposed (a transposed
        // [n, c] matrix, or matMul's transpose flags, are the slow paths on wasm).
        const pt = tf.transpose(tf.matMul(tf.transpose(sx) as Tensor2D, sp));
        const dw = tf.mul(tf.sub(pt, tf.unsortedSegmentSum(sx, tf.tensor1d(t, "int32"), c)), scale);
        return [dx, dw];
      },
    };
  });
  return f(h, items);
}

/**
 * Sampled-softmax cross-entropy (Jean et al. 2015) with `negatives` [s] item indices shared by
 * the batch, drawn uniformly (so no log-Q correction is needed): each row's softmax runs over
 * its own target plus the shared negatives; a negative equal to the row's target is masked.
 */
export function sampledSoftmaxCrossEntropy(tf: Tf, h: Tensor2D, items: Tensor2D, targets: Tensor1D, negatives: Tensor1D): Tensor {
  const pos = tf.sum(tf.mul(h, tf.gather(items, targets)), -1, true);
  const negItems = tf.gather(items, negatives);
  const neg = mm(tf, h, tf.transpose(negItems) as Tensor2D);
  const hit = tf.equal(tf.expandDims(targets, 1), tf.expandDims(negatives, 0));
  const masked = tf.where(hit, tf.fill(neg.shape, -1e9), neg);
  const logits = tf.concat([pos, masked], 1);
  return tf.mean(tf.sub(tf.logSumExp(logits, -1, true), pos));
}

/** Seeded int32 tensor helper that keeps call sites short. */
export function int32(tf: Tf, values: Int32Array, shape: number[]): Tensor {
  return tf.tensor(values, shape, "int32");
}
