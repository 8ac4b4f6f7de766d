import type { Scalar, Tensor, Variable } from "@tensorflow/tfjs";
import type { Optimizer } from "../../training/optimizers";
import type { Tf } from "../../training/tf-backend";
import type { Rng } from "../../util/rng";
import type { ModelState } from "../types";

/**
 * Named trainable tf variables of a deep model: created from seeded typed arrays (so the same
 * seed gives the same weights on every backend), saved to and loaded from ModelState arrays.
 */
export class Weights {
  readonly vars: Record<string, Variable> = {};
  readonly shapes: Record<string, number[]> = {};

  constructor(private readonly tf: Tf) {}

  add(name: string, shape: number[], values: Float32Array): Variable {
    this.vars[name]?.dispose();
    const v = this.tf.tidy(() => this.tf.variable(this.tf.tensor(values, shape), true));
    this.vars[name] = v;
    this.shapes[name] = shape;
    return v;
  }

  get(name: string): Variable {
    const v = this.vars[name];
    if (!v) throw new Error(`no weight "${name}"`);
    return v;
  }

  /** Weight arrays under `prefix` (copies; read back from the backend). */
  save(prefix = ""): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [name, v] of Object.entries(this.vars)) out[`${prefix}${name}`] = Float32Array.from(v.dataSync() as Float32Array);
    return out;
  }

  /** Sets every declared weight from `state` (checked lengths); the shapes come from `add`. */
  load(state: ModelState, prefix = ""): void {
    for (const [name, v] of Object.entries(this.vars)) {
      const a = state.arrays[`${prefix}${name}`];
      if (!(a instanceof Float32Array) || a.length !== v.size) {
        throw new Error(`model state array "${prefix}${name}" is missing or has the wrong length (want ${v.size})`);
      }
      this.tf.tidy(() => v.assign(this.tf.tensor(a, v.shape)));
    }
  }

  dispose(): void {
    for (const v of Object.values(this.vars)) v.dispose();
    for (const k of Object.keys(this.vars)) delete this.vars[k];
  }
}

/** Glorot/Xavier uniform initial values for a [fanIn, fanOut] matrix. */
export function glorotUniform(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * limit;
  return out;
}

export function normalValues(rng: Rng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * std;
  return out;
}

/**
 * One gradient step: differentiates `loss` with respect to the named weights (or `only` of them),
 * applies the optimizer at `learningRate` and returns the loss value. Every intermediate tensor
 * is disposed.
 */
export function trainStep(tf: Tf, weights: Weights, optimizer: Optimizer, loss: () => Scalar, learningRate: number, only?: string[]): number {
  const names = only ?? Object.keys(weights.vars);
  const vars = names.map((n) => weights.get(n));
  const { value, grads } = tf.variableGrads(loss, vars);
  const named: Record<string, Tensor> = {};
  names.forEach((n, i) => {
    const g = grads[vars[i].name];
    if (g) named[n] = g;
  });
  optimizer.step(named, learningRate);
  const result = value.dataSync()[0];
  value.dispose();
  tf.dispose(Object.values(grads));
  return result;
}

/**
 * Scores `users` in batches: `forward` returns a [batch, numItems] tensor (inside a tf.tidy);
 * each batch is read back into `out` and disposed before the next, so memory stays flat.
 */
export function scoreInBatches(tf: Tf, users: Int32Array, out: Float32Array, numItems: number, batchSize: number, forward: (batch: Int32Array) => Tensor): void {
  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.subarray(start, Math.min(users.length, start + batchSize));
    const scores = tf.tidy(() => forward(batch));
    out.set(scores.dataSync() as Float32Array, start * numItems);
    scores.dispose();
  }
}
