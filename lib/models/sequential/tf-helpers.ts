import type * as TfModule from "@tensorflow/tfjs";
import type { Tensor, Tensor1D, Tensor2D, Variable } from "@tensorflow/tfjs";
import { badInput } from "../../errors";
import { Rng } from "../../util/rng";
import { loadTensorflow, matMulFast, matMulTransposedA, matMulTransposedB, requireTensorflow } from "../../training/tf-backend";
import { jsKernel } from "../../training/js-kernel";
import { memoryView } from "../../training/tensor-memory";
import { nativeLinalg } from "../linalg/native-kernel";
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

/** x [..., k] × w [k, n] (+ b) -> [..., n], through a 2-D reshape so the fast matmul applies. */
export function dense(tf: Tf, x: Tensor, w: Tensor2D, b?: Tensor1D): Tensor {
  const k = x.shape[x.shape.length - 1];
  const lead = x.shape.slice(0, -1);
  let y: Tensor = mm(tf, tf.reshape(x, [-1, k]) as Tensor2D, w);
  if (b) y = tf.add(y, b);
  return tf.reshape(y, [...lead, w.shape[1]]);
}

/**
 * Layer normalisation over the last axis (Ba et al. 2016), forward and backward as one JS kernel
 * each over the rows (lib/training/js-kernel.ts): as chained tf ops it cost ~9 kernels forward and
 * ~30 in autodiff's backward, each allocating, for rows of only d values.
 * Backward: dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) with ĝ = dy · γ and x̂ = (x − μ) · rstd.
 * What the backward pass reads goes through save(): tf.variableGrads runs the forward pass in a
 * tidy scope of its own, so a captured tensor would be disposed by then.
 */
export function layerNorm(tf: Tf, x: Tensor, gamma: Tensor1D, beta: Tensor1D, eps = 1e-8): Tensor {
  const d = x.shape[x.shape.length - 1];
  const rows = x.size / d;
  const op = tf.customGrad((...args) => {
    const [xt, gt, bt, save] = args as unknown as [Tensor, Tensor1D, Tensor1D, (tensors: Tensor[]) => void];
    // stats[r] = (mean, 1 / standard deviation) of row r.
    const [y, stats] = jsKernel(tf, [xt, gt, bt], [xt.shape, [rows, 2]], ([xs, g, b], [out, st]) => {
      for (let r = 0, o = 0; r < rows; r++, o += d) {
        let m = 0;
        for (let j = 0; j < d; j++) m += xs[o + j];
        m /= d;
        let variance = 0;
        for (let j = 0; j < d; j++) variance += (xs[o + j] - m) * (xs[o + j] - m);
        const s = 1 / Math.sqrt(variance / d + eps);
        st[2 * r] = m;
        st[2 * r + 1] = s;
        for (let j = 0; j < d; j++) out[o + j] = (xs[o + j] - m) * s * g[j] + b[j];
      }
    });
    save([xt, gt, stats]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [dx, dgamma, dbeta] = jsKernel(tf, [dy as Tensor, ...saved], [x.shape, [d], [d]], ([dys, xs, g, st], [dxs, dg, db]) => {
          for (let r = 0, o = 0; r < rows; r++, o += d) {
            const m = st[2 * r], s = st[2 * r + 1];
            let sum = 0, dot = 0;
            for (let j = 0; j < d; j++) {
              const gj = dys[o + j], h = (xs[o + j] - m) * s, gh = gj * g[j];
              sum += gh;
              dot += gh * h;
              dg[j] += gj * h;
              db[j] += gj;
            }
            const m1 = sum / d, m2 = dot / d;
            for (let j = 0; j < d; j++) dxs[o + j] = s * (dys[o + j] * g[j] - m1 - (xs[o + j] - m) * s * m2);
          }
        });
        return [dx, dgamma, dbeta];
      },
    };
  });
  return op(x, gamma, beta);
}

/**
 * Inverted dropout, the mask drawn in JS from the model's Rng (deterministic per seed); identity
 * when off. tf.dropout draws through tfjs's per-element JS random ops, several times slower.
 * Forward and backward are JS kernels on tensor memory (lib/training/js-kernel.ts).
 */
export function dropout(tf: Tf, x: Tensor, rate: number, rng: Rng | null): Tensor {
  if (!rng || rate <= 0) return x;
  const keep = 1 - rate, scale = 1 / keep;
  const op = tf.customGrad((...args) => {
    const [xt, save] = args as unknown as [Tensor, (tensors: Tensor[]) => void];
    const [y, mask] = jsKernel(tf, [xt], [xt.shape, xt.shape], ([xs], [ys, m]) => {
      for (let i = 0; i < xs.length; i++) {
        if (rng.next() < keep) {
          m[i] = scale;
          ys[i] = xs[i] * scale;
        }
      }
    });
    save([mask]);
    return { value: y, gradFunc: (dy, saved) => tf.mul(dy as Tensor, saved[0]) };
  });
  return op(x);
}

/**
 * Rows `indices` of a 2-D `table` ([indices.length, d]), an embedding lookup. Rows equal to
 * `padding` read as zeros and get no gradient. Forward and backward are row copies in JS kernels
 * on tensor memory: the wasm GatherV2 kernel and its gradient move data element by element,
 * about 5x slower, and reading the table with dataSync copied all of it every call.
 */
export function gatherRows(tf: Tf, table: Tensor, indices: Int32Array, padding = -1): Tensor2D {
  const [rows, d] = table.shape as [number, number];
  const n = indices.length;
  const op = tf.customGrad((...args) => {
    const [t] = args as unknown as [Tensor2D];
    const [value] = jsKernel(tf, [t], [[n, d]], ([src], [out]) => {
      for (let i = 0; i < n; i++) {
        const r = indices[i];
        if (r !== padding) out.set(src.subarray(r * d, r * d + d), i * d);
      }
    });
    return {
      value,
      gradFunc: (dy) =>
        jsKernel(tf, [dy as Tensor], [[rows, d]], ([g], [acc]) => {
          const scatter = nativeLinalg()?.addon.scatter_rows_f32;
          if (scatter) return scatter(indices, padding, g, acc, d); // the same sums
          for (let i = 0; i < n; i++) {
            const r = indices[i];
            if (r === padding) continue;
            const o = r * d, src0 = i * d;
            for (let j = 0; j < d; j++) acc[o + j] += g[src0 + j];
          }
        }),
    };
  });
  return op(table as Tensor2D) as Tensor2D;
}

/**
 * Mean full-softmax cross-entropy of next-item logits `h · Wᵀ` against `targets` [n] (item
 * indices into W's rows), for hidden states `h` [n, d] and output item vectors `items` [c, d].
 * The gradient is written by hand: with G = softmax − one-hot, dh = G·W / n and dW = Gᵀ·h / n.
 * G is made from the probabilities in place (1 subtracted at each row's target, right after the
 * loss reads them), and the two matMuls on G run in the forward pass: nothing of size [n, c] is
 * kept for the backward pass, which only scales them by dy / n. On
 * wasm the native softmax is ~7x faster than logSoftmax, and every [n, c] op saved matters: this
 * layer is the hot spot of every sequential model.
 */
export function fullSoftmaxCrossEntropy(tf: Tf, h: Tensor2D, items: Tensor2D, targets: Tensor1D | Int32Array): Tensor {
  const n = h.shape[0];
  const t = targets instanceof Int32Array ? targets : (targets.dataSync() as Int32Array);
  const f = tf.customGrad((...args) => {
    const [x, w, save] = args as unknown as [Tensor2D, Tensor2D, (tensors: Tensor[]) => void];
    const p = tf.softmax(matMulTransposedB(tf, x, w)) as Tensor2D;
    const { loss, residual: g } = softmaxResidual(tf, p, t);
    // The backward pass's two products are formed here, so only they are saved (save() copies
    // what it keeps; G is [n, c]). Gᵀ·h: on XNNPACK with G transposed first (as (hᵀ·G)ᵀ it packs
    // the big G as the right-hand operand on every call, 9.4 vs 5.4 ms for [650, 1682], and
    // matMul's transpose flags are its slow path); on the native matMul by the flag, which is free.
    save([tf.matMul(g, w), matMulTransposedA(tf, g, x)]);
    return {
      value: tf.scalar(loss / n),
      gradFunc: (dy, saved) => {
        const [gw, gh] = saved as [Tensor2D, Tensor2D];
        const scale = tf.div(dy as Tensor, n);
        return [tf.mul(gw, scale), tf.mul(gh, scale)];
      },
    };
  });
  return f(h, items);
}

/** Σ −log p[i, t_i] and G = p − one-hot(t): p itself, edited in place, where its memory is reachable. */
function softmaxResidual(tf: Tf, p: Tensor2D, t: Int32Array): { loss: number; residual: Tensor2D } {
  const c = p.shape[1];
  const view = memoryView(tf, p, true);
  const probs = view ?? (p.dataSync() as Float32Array);
  let loss = 0;
  for (let i = 0; i < t.length; i++) loss -= Math.log(probs[i * c + t[i]] + 1e-12);
  if (!view) return { loss, residual: tf.sub(p, tf.oneHot(tf.tensor1d(t, "int32"), c)) as Tensor2D };
  for (let i = 0; i < t.length; i++) view[i * c + t[i]] -= 1;
  return { loss, residual: p };
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
