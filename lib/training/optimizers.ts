import type { Tensor, Variable } from "@tensorflow/tfjs";
import type { OptimizerName } from "./deep-training";
import type { Tf } from "./tf-backend";
import { memoryView, uninitializedTensor } from "./tensor-memory";
import { nativeLinalg } from "../models/linalg/native-kernel";

/**
 * Gradient optimizers for the deep models, written over tf ops rather than tf.train.* so that
 * (a) the learning rate is an argument of every step (schedules), (b) weight decay is uniform,
 * and (c) the whole state (moments, step count) exports synchronously as typed arrays and goes
 * into checkpoints: a resumed run continues with the same moments instead of restarting them.
 *
 * - adam: Kingma & Ba 2015, bias-corrected; weight decay decoupled as in AdamW (Loshchilov &
 *   Hutter 2019): w ← w − lr·(m̂/(√v̂+ε) + wd·w).
 * - rmsprop: Tieleman & Hinton 2012 (tf.train.rmsprop's form, with momentum).
 * - sgd: heavy-ball momentum, v ← μ·v + g, w ← w − lr·v.
 * - adagrad: Duchi et al. 2011, accumulator starting at 0.1 (as tf.train.adagrad).
 * For rmsprop, sgd and adagrad weight decay is an L2 term added to the gradient (g + wd·w).
 */
export interface OptimizerConfig {
  name: OptimizerName;
  momentum?: number;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface Optimizer {
  readonly name: OptimizerName;
  /** Applies one update to every variable with a gradient in `grads` (keyed like the variables). */
  step(grads: Record<string, Tensor>, learningRate: number): void;
  /** Moments and step count as typed arrays under `prefix` (for checkpoints). */
  exportState(prefix?: string): Record<string, Float32Array>;
  /** Restores what exportState wrote; missing arrays leave fresh (zero) state. */
  importState(arrays: Record<string, Float32Array | Int32Array>, prefix?: string): void;
  dispose(): void;
}

/** Creates an optimizer over `variables` (name -> variable; the names key gradients and state). */
export function createOptimizer(tf: Tf, config: OptimizerConfig, variables: Record<string, Variable>): Optimizer {
  return new SlotOptimizer(tf, config, variables);
}

const SLOTS: Record<OptimizerName, string[]> = {
  adam: ["m", "v"],
  rmsprop: ["ms", "mom"],
  sgd: ["vel"],
  adagrad: ["acc"],
};

class SlotOptimizer implements Optimizer {
  readonly name: OptimizerName;
  private t = 0;
  private readonly slots: Record<string, Record<string, Variable>> = {};
  private readonly momentum: number;
  private readonly weightDecay: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(
    private readonly tf: Tf,
    config: OptimizerConfig,
    private readonly variables: Record<string, Variable>,
  ) {
    this.name = config.name;
    this.momentum = config.momentum ?? 0.9;
    this.weightDecay = config.weightDecay ?? 0;
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.epsilon = config.epsilon ?? (config.name === "adam" ? 1e-8 : 1e-7);
    for (const [name, v] of Object.entries(variables)) {
      this.slots[name] = {};
      for (const slot of SLOTS[this.name]) {
        const init = this.name === "adagrad" ? tf.fill(v.shape, 0.1) : tf.zerosLike(v);
        this.slots[name][slot] = tf.variable(init, false);
        init.dispose();
      }
    }
  }

  step(grads: Record<string, Tensor>, learningRate: number): void {
    this.t++;
    for (const [name, w] of Object.entries(this.variables)) {
      const g = grads[name];
      if (!g) continue;
      if (!this.stepInPlace(w, g, this.slots[name], learningRate)) this.stepWithOps(w, g, this.slots[name], learningRate);
    }
  }

  /**
   * The update as one JS loop over the backend's own memory (wasm heap or cpu arrays), in place:
   * chained tf ops cost ~5 ms per op per million weights on wasm (an allocation each), and an
   * Adam step is a dozen of them. Falls back (false) when memory is not reachable or shared.
   */
  private stepInPlace(w: Variable, gt: Tensor, s: Record<string, Variable>, lr: number): boolean {
    const slots = SLOTS[this.name];
    // The new weights go to fresh memory, not over the old: the wasm backend (XNNPACK) caches
    // packed matMul operands by tensor id and would keep using stale weights. Moments are only
    // read by this optimizer, so they are updated in place. Uninitialised memory: the old weights
    // are copied over all of it (zero-filling first cost as much again, 7 ms for a 17,000 × 400 encoder).
    const next = uninitializedTensor(this.tf, w.shape);
    // Views last: taking them must not be followed by any allocation (the heap could grow).
    const views = [next, ...slots.map((k) => s[k])].map((v) => memoryView(this.tf, v, true));
    const old = memoryView(this.tf, w, false);
    const g = memoryView(this.tf, gt, false);
    if (!g || !old || views.some((v) => !v)) {
      next.dispose();
      return false;
    }
    const [wv, a, b] = views as Float32Array[];
    // Adam writes every new weight from the old ones; the other rules update a copy in place.
    if (this.name !== "adam") wv.set(old);
    const n = wv.length;
    const { momentum: mu, weightDecay: wd, beta1: b1, beta2: b2, epsilon: eps, t } = this;
    switch (this.name) {
      case "adam": {
        const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
        const decay = lr * wd;
        (nativeLinalg()?.addon.adam_f32 ?? adamLoop)(wv, old, a, b, g, alpha, b1, b2, eps, decay);
        break;
      }
      case "rmsprop":
        for (let i = 0; i < n; i++) {
          const gi = g[i] + wd * wv[i];
          const ms = (a[i] = 0.9 * a[i] + 0.1 * gi * gi);
          const mom = (b[i] = mu * b[i] + (lr * gi) / Math.sqrt(ms + eps));
          wv[i] -= mom;
        }
        break;
      case "sgd":
        for (let i = 0; i < n; i++) {
          const vel = (a[i] = mu * a[i] + g[i] + wd * wv[i]);
          wv[i] -= lr * vel;
        }
        break;
      case "adagrad":
        for (let i = 0; i < n; i++) {
          const gi = g[i] + wd * wv[i];
          const acc = (a[i] += gi * gi);
          wv[i] -= (lr * gi) / (Math.sqrt(acc) + eps);
        }
        break;
    }
    w.assign(next);
    next.dispose();
    return true;
  }

  private stepWithOps(w: Variable, gt: Tensor, s: Record<string, Variable>, learningRate: number): void {
    const tf = this.tf;
    const t = this.t;
    const { momentum: mu, weightDecay: wd, beta1: b1, beta2: b2, epsilon: eps } = this;
    tf.tidy(() => {
      {
        let g = gt;
        if (this.name !== "adam" && wd > 0) g = tf.add(g, tf.mul(w, wd));
        switch (this.name) {
          case "adam": {
            const m = tf.add(tf.mul(s.m, b1), tf.mul(g, 1 - b1));
            const v = tf.add(tf.mul(s.v, b2), tf.mul(tf.square(g), 1 - b2));
            s.m.assign(m);
            s.v.assign(v);
            // Bias correction folded into the step size: lr·√(1−β2ᵗ)/(1−β1ᵗ).
            const alpha = (learningRate * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
            let update = tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), alpha);
            if (wd > 0) update = tf.add(update, tf.mul(w, learningRate * wd));
            w.assign(tf.sub(w, update));
            break;
          }
          case "rmsprop": {
            const ms = tf.add(tf.mul(s.ms, 0.9), tf.mul(tf.square(g), 0.1));
            s.ms.assign(ms);
            const scaled = tf.div(tf.mul(g, learningRate), tf.sqrt(tf.add(ms, eps)));
            const mom = tf.add(tf.mul(s.mom, mu), scaled);
            s.mom.assign(mom);
            w.assign(tf.sub(w, mom));
            break;
          }
          case "sgd": {
            const vel = tf.add(tf.mul(s.vel, mu), g);
            s.vel.assign(vel);
            w.assign(tf.sub(w, tf.mul(vel, learningRate)));
            break;
          }
          case "adagrad": {
            const acc = tf.add(s.acc, tf.square(g));
            s.acc.assign(acc);
            w.assign(tf.sub(w, tf.div(tf.mul(g, learningRate), tf.add(tf.sqrt(acc), eps))));
            break;
          }
        }
      }
    });
  }

  exportState(prefix = "optimizer/"): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = { [`${prefix}step`]: Float32Array.of(this.t) };
    for (const [name, slots] of Object.entries(this.slots)) {
      for (const [slot, v] of Object.entries(slots)) out[`${prefix}${name}/${slot}`] = v.dataSync() as Float32Array;
    }
    return out;
  }

  importState(arrays: Record<string, Float32Array | Int32Array>, prefix = "optimizer/"): void {
    const step = arrays[`${prefix}step`];
    if (!step) return;
    this.t = step[0];
    for (const [name, slots] of Object.entries(this.slots)) {
      for (const [slot, v] of Object.entries(slots)) {
        const a = arrays[`${prefix}${name}/${slot}`];
        if (a && a.length === v.size) this.tf.tidy(() => v.assign(this.tf.tensor(Float32Array.from(a), v.shape)));
      }
    }
  }

  dispose(): void {
    for (const slots of Object.values(this.slots)) for (const v of Object.values(slots)) v.dispose();
  }
}

/**
 * One Adam(W) update in place over typed arrays (out may be old's copy): the moments m and v
 * (float32, updated) and out = old − (alpha·m/(√v+ε) + decay·old), each step in double. The native
 * addon's adam_f32 (native/linalg/train-kernels.h) computes the same bits and is used when built.
 */
export function adamLoop(out: Float32Array, old: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, alpha: number, b1: number, b2: number, eps: number, decay: number): void {
  for (let i = 0; i < out.length; i++) {
    const gi = g[i];
    const mi = (m[i] = b1 * m[i] + (1 - b1) * gi);
    const vi = (v[i] = b2 * v[i] + (1 - b2) * gi * gi);
    const w = old[i];
    out[i] = w - ((alpha * mi) / (Math.sqrt(vi) + eps) + decay * w);
  }
}
