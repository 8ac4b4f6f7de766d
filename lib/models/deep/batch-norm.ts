import { z } from "zod";
import type { Tensor } from "@tensorflow/tfjs";
import { badInput } from "../../errors";
import type { Tf } from "../../training/tf-backend";
import type { ModelState } from "../types";

/**
 * Batch normalisation (Ioffe & Szegedy, "Batch normalization: accelerating deep network training
 * by reducing internal covariate shift", ICML 2015) as a training control shared by the deep
 * models, with the semantics of Keras / `tf.layers.batchNormalization` (defaults included):
 *
 *   training:  y = γ · (x − μ_B) / √(σ²_B + ε) + β, μ_B and σ²_B (biased) over the batch, and
 *              m ← m − (m − μ_B)(1 − momentum), v ← v − (v − σ²_B)(1 − momentum);
 *   inference: y = γ · (x − m) / √(v + ε) + β.
 *
 * γ and β are trainable: they are created through the model's own weight container (so its
 * optimizer, checkpoint and save/load see them) under `<layer>.gamma` / `<layer>.beta`. The moving
 * statistics m and v are not trainable and live here as plain arrays (read back once per
 * training step, a few hundred floats), saved into ModelState under `batchNorm/<layer>/…` — not
 * under the training-only prefix: scoring needs them, so best-epoch snapshots keep them.
 */

/** Keras's ε (added to the variance) and momentum defaults. */
export const BATCH_NORM_EPSILON = 1e-3;
export const BATCH_NORM_MOMENTUM = 0.99;

const ARRAY_PREFIX = "batchNorm/";

/**
 * The hyperparameters as a zod raw shape, spread into a model's params schema; `where` names the
 * layers the model normalises (shown in the launch form).
 */
export function batchNormParams(where: string) {
  return {
    batchNorm: z
      .boolean()
      .default(false)
      .describe(`Batch normalisation of ${where} (before the activation): training normalises by the batch's mean and variance, scoring by their moving averages. Off by default.`),
    batchNormMomentum: z
      .number()
      .min(0)
      .max(0.9999)
      .default(BATCH_NORM_MOMENTUM)
      .describe("Batch norm: share of the old moving mean/variance kept at each training step (Keras's momentum; ignored when batch norm is off). Fraction."),
  };
}

export interface BatchNormParams {
  batchNorm: boolean;
  batchNormMomentum: number;
}

/** Creates a trainable weight in the model's container (Weights.add, WeightBag, a plain record). */
export type AddWeight = (name: string, shape: number[], values: Float32Array) => unknown;
/** Reads a trainable weight from the model's container. */
export type GetWeight = (name: string) => Tensor;

interface MovingStats {
  mean: Float32Array;
  variance: Float32Array;
}

/** The batch-normalisation layers of one model, by name: their moving statistics and how to apply them. */
export class BatchNorm {
  private readonly layers = new Map<string, MovingStats>();

  constructor(
    readonly momentum: number = BATCH_NORM_MOMENTUM,
    readonly epsilon: number = BATCH_NORM_EPSILON,
  ) {}

  /** Declares layer `name` over `size` features: γ = 1 and β = 0 through `add`, moving mean 0 and variance 1. */
  addLayer(name: string, size: number, add: AddWeight): void {
    add(`${name}.gamma`, [size], new Float32Array(size).fill(1));
    add(`${name}.beta`, [size], new Float32Array(size));
    this.declare(name, size);
  }

  /** Declares a layer's moving statistics only (γ and β already exist in the model's weights). */
  declare(name: string, size: number): void {
    this.layers.set(name, { mean: new Float32Array(size), variance: new Float32Array(size).fill(1) });
  }

  get layerNames(): string[] {
    return [...this.layers.keys()];
  }

  /**
   * Normalises the last axis of `x` (features; every other axis is the batch, as Keras's axis −1).
   * With `training` the batch's statistics are used — gradients flow through them — and the
   * moving statistics take one momentum step; otherwise the moving statistics are used.
   */
  apply(tf: Tf, name: string, x: Tensor, get: GetWeight, training: boolean): Tensor {
    const stats = this.layers.get(name);
    if (!stats) throw new Error(`no batch-norm layer "${name}"`);
    const size = stats.mean.length;
    if (x.shape[x.rank - 1] !== size) throw new Error(`batch-norm layer "${name}" normalises ${size} features, got shape [${x.shape.join(", ")}]`);
    const gamma = get(`${name}.gamma`), beta = get(`${name}.beta`);
    // tf.batchNorm takes ranks up to 4 and broadcasts [size] over the last axis.
    const flat = x.rank <= 4 ? x : tf.reshape(x, [-1, size]);
    if (!training) {
      const y = tf.batchNorm(flat, tf.tensor1d(stats.mean), tf.tensor1d(stats.variance), beta, gamma, this.epsilon);
      return flat === x ? y : tf.reshape(y, x.shape);
    }
    const axes = Array.from({ length: flat.rank - 1 }, (_, i) => i);
    const { mean, variance } = tf.moments(flat, axes);
    const y = tf.batchNorm(flat, mean, variance, beta, gamma, this.epsilon);
    this.updateMovingStats(stats, mean.dataSync() as Float32Array, variance.dataSync() as Float32Array);
    return flat === x ? y : tf.reshape(y, x.shape);
  }

  /** Moving statistics as ModelState arrays (copies). */
  save(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [name, s] of this.layers) {
      out[`${ARRAY_PREFIX}${name}/movingMean`] = s.mean.slice();
      out[`${ARRAY_PREFIX}${name}/movingVariance`] = s.variance.slice();
    }
    return out;
  }

  /** Sets every declared layer's moving statistics from `arrays` (lengths checked). */
  load(arrays: ModelState["arrays"]): void {
    for (const [name, s] of this.layers) {
      for (const [key, target] of [
        ["movingMean", s.mean],
        ["movingVariance", s.variance],
      ] as const) {
        const a = arrays[`${ARRAY_PREFIX}${name}/${key}`];
        if (!(a instanceof Float32Array) || a.length !== target.length) {
          throw badInput(`model state has no batch-norm statistics "${ARRAY_PREFIX}${name}/${key}" of ${target.length} values`);
        }
        target.set(a);
      }
    }
  }

  /** Keras's update, in float32 as tfjs computes it: m ← m − (m − batch)·(1 − momentum). */
  private updateMovingStats(stats: MovingStats, mean: Float32Array, variance: Float32Array): void {
    const decay = Math.fround(1 - this.momentum);
    for (const [moving, batch] of [
      [stats.mean, mean],
      [stats.variance, variance],
    ] as const) {
      for (let i = 0; i < moving.length; i++) moving[i] = moving[i] - Math.fround(Math.fround(moving[i] - batch[i]) * decay);
    }
  }
}
