import { z } from "zod";
import type { Tf } from "../../training/tf-backend";
import type { ModelState } from "../types";
import { Weights } from "./weights";

/**
 * A moving average of a model's weights, scored instead of the weights themselves (Polyak &
 * Juditsky, "Acceleration of stochastic approximation by averaging", 1992), taken every k-th
 * training step (k = AVERAGE_EVERY):
 *
 *   a ← a − (1 − d_t)(a − w),   d_t = min(decay^k, (1 + t) / (5 + t)),  t = updates so far.
 *
 * The warm-up term is TensorFlow's `tf.train.ExponentialMovingAverage(num_updates)` with 5 where
 * TensorFlow has 10: the weights it averages are then on average ~t/4 updates old, as in a plain
 * average of the last half of training — the suffix averaging that makes SGD's average optimal
 * (Rakhlin, Shamir & Sridharan, ICML 2012) — where TensorFlow's are ~t/9 old (the last ~20%).
 * The initial weights never linger, and the span never exceeds ~1 / (1 − decay) steps. On
 * NeuMF's early peaks (10 epochs) TensorFlow's form averaged about the last epoch only; 5 was
 * higher on validation on every dataset measured, and a span of 1 / (1 − decay) from the start
 * (Adam's bias correction) reached back to the poor early epochs of small, dense datasets
 * (docs/benchmarks/defaults.md, "The weight average spans the last half").
 * It smooths the step-to-step noise of the weights that moves a validation curve by more than a
 * setting does. Every k-th step rather than every step: an update is three passes over every
 * weight (0.6 ms for NeuMF on ml-latest-small, 17% of its training step), and adjacent steps'
 * weights are nearly the same, so sampling every 4th changes an average over thousands of steps
 * by little.
 *
 * The averaged weights are kept as tf variables beside the model's, saved under
 * `weightAverage/…` (not under the training-only prefix: scoring needs them, so best-epoch
 * snapshots keep them) with the step count, so a resumed run continues exactly.
 */

const ARRAY_PREFIX = "weightAverage/";
const STEPS_KEY = `${ARRAY_PREFIX}#steps`;
/** The warm-up's constant c in d_t ≤ (1 + t) / (c + t): the average's weights are ~t / (c − 1) updates old. */
const WARM_UP = 5;
/** Training steps between two updates of the average. */
export const AVERAGE_EVERY = 4;

/** The hyperparameter as a zod raw shape, spread into a model's params schema, with its default. */
export function weightAverageParams(defaultDecay: number) {
  return {
    weightAverageDecay: z
      .number()
      .min(0)
      .max(0.99999)
      .default(defaultDecay)
      .describe(
        "Scores an exponential moving average of the weights (TensorFlow's ExponentialMovingAverage, warmed up so that it reaches back about half of training) instead of the last step's weights: the average spans at most about 1 / (1 − this) gradient steps. 0 = off. Fraction, per step.",
      ),
  };
}

export class WeightAverage {
  private constructor(
    private readonly tf: Tf,
    private readonly decay: number,
    /** The averaged weights, named as the model's. */
    readonly weights: Weights,
    /** Training steps seen (`update` calls). */
    private steps: number,
    private readonly every: number,
  ) {}

  /** Starts averaging `weights` (a copy of their current values), or null when `decay` is 0. */
  static start(tf: Tf, weights: Weights, decay: number, every = AVERAGE_EVERY): WeightAverage | null {
    return decay > 0 ? new WeightAverage(tf, decay, copyOf(tf, weights), 0, every) : null;
  }

  /** The average saved in `state`, for a model whose weights are `weights` (null when the state has none). */
  static load(tf: Tf, weights: Weights, decay: number, state: ModelState, every = AVERAGE_EVERY): WeightAverage | null {
    const steps = state.arrays[STEPS_KEY];
    if (decay <= 0 || !(steps instanceof Int32Array)) return null;
    const average = new WeightAverage(tf, decay, copyOf(tf, weights), steps[0], every);
    average.weights.load(state, ARRAY_PREFIX);
    return average;
  }

  /** Called after each optimizer step; every k-th call moves the average towards the model's current `weights`. */
  update(weights: Weights): void {
    if (++this.steps % this.every !== 0) return;
    const t = this.steps / this.every - 1;
    const keep = Math.min(this.decay ** this.every, (1 + t) / (WARM_UP + t));
    const tf = this.tf;
    tf.tidy(() => {
      for (const [name, a] of Object.entries(this.weights.vars)) a.assign(tf.sub(a, tf.mul(tf.sub(a, weights.get(name)), 1 - keep)));
    });
  }

  /** The averaged weights and the step count as ModelState arrays (copies). */
  save(): ModelState["arrays"] {
    return { ...this.weights.save(ARRAY_PREFIX), [STEPS_KEY]: Int32Array.of(this.steps) };
  }

  dispose(): void {
    this.weights.dispose();
  }
}

/** New variables holding a copy of `weights`' current values, under the same names and shapes. */
function copyOf(tf: Tf, weights: Weights): Weights {
  const copy = new Weights(tf);
  for (const [name, values] of Object.entries(weights.save())) copy.add(name, weights.shapes[name], values);
  return copy;
}
