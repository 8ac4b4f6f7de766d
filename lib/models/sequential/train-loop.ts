import type { Scalar, Tensor } from "@tensorflow/tfjs";
import { learningRateAt, type DeepTrainingParams } from "../../training/deep-training";
import { createOptimizer, type OptimizerConfig } from "../../training/optimizers";
import { epochRng } from "../../training/seeding";
import type { Rng } from "../../util/rng";
import type { FitContext } from "../types";
import type { Tf, WeightBag } from "./tf-helpers";

/**
 * The epoch loop shared by the sequential models: mini-batches shuffled by a per-epoch Rng
 * (derived from the seed and the epoch only), one optimizer step per batch at the scheduled
 * learning rate, mean loss per epoch, and FitContext.onEpoch after every epoch (the trainer
 * validates there and may stop; FitContext.interrupted is awaited after every step). Every step
 * runs in tf.tidy, so tf.memory() stays flat.
 */
interface EpochLoopCommon<B> {
  tf: Tf;
  weights: WeightBag;
  params: DeepTrainingParams;
  /** Optimizer settings beyond the shared params (e.g. Adam's beta2). */
  optimizer?: Partial<OptimizerConfig>;
  ctx: FitContext;
  /** The loss of one mini-batch; `rng` is the epoch's (dropout seeds, negatives). */
  loss: (batch: B, rng: Rng) => Scalar;
  /** Examples in a batch (weights the epoch's mean loss); default the batch's length. */
  sizeOf?: (batch: B) => number;
  /** Runs after each optimizer step (e.g. to carry a recurrent state forward). */
  afterStep?: (batch: B) => void;
}

/** Where an epoch's batches come from: `count` example indices shuffled, or a model's own schedule. */
export type EpochLoopOptions<B = Int32Array> = EpochLoopCommon<B> &
  (
    | { count: number; batches?: never }
    | {
        /**
         * A model-specific schedule (e.g. GRU4Rec's session-parallel steps, SASRec's windows of
         * the epoch): called once per epoch, it yields one batch per optimizer step.
         */
        batches: (rng: Rng) => Iterable<B>;
        count?: never;
      }
  );

export async function runEpochs<B = Int32Array>(o: EpochLoopOptions<B>): Promise<void> {
  const { tf, params, ctx } = o;
  const names = new Map(Object.entries(o.weights.vars).map(([name, v]) => [v.name, name]));
  const optimizer = createOptimizer(
    tf,
    { name: params.optimizer, momentum: params.momentum, weightDecay: params.weightDecay, ...o.optimizer },
    o.weights.vars,
  );
  const varList = o.weights.list();
  try {
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      const rng = epochRng(ctx.seed, epoch);
      const lr = learningRateAt(params, epoch);
      const losses: Tensor[] = [];
      let examples = 0;
      const batches = o.batches ? o.batches(rng) : (shuffledBatches(Int32Array.from({ length: o.count }, (_, i) => i), params.batchSize, rng) as Iterable<B>);
      for (const batch of batches) {
        const size = o.sizeOf ? o.sizeOf(batch) : (batch as { length: number }).length;
        const weighted = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => o.loss(batch, rng), varList);
          const named: Record<string, Tensor> = {};
          for (const [key, g] of Object.entries(grads)) named[names.get(key) ?? key] = g;
          optimizer.step(named, lr);
          return tf.mul(value, size);
        });
        // Kept on the device: one read per epoch instead of a sync per step.
        losses.push(weighted);
        examples += size;
        o.afterStep?.(batch);
        if (ctx.interrupted && (await ctx.interrupted())) {
          tf.dispose(losses);
          return;
        }
      }
      const total = losses.length > 0 ? tf.tidy(() => tf.addN(losses)) : null;
      const loss = total && examples > 0 ? (await total.data())[0] / examples : 0;
      tf.dispose(losses);
      total?.dispose();
      const decision = await ctx.onEpoch?.({ epoch, totalEpochs: params.epochs, loss });
      if (decision?.stop) break;
    }
  } finally {
    optimizer.dispose();
  }
}

/** The given example indices, shuffled in place by `rng` and cut into batches. */
export function* shuffledBatches(indices: Int32Array, batchSize: number, rng: Rng): Iterable<Int32Array> {
  const order = rng.shuffle(indices);
  for (let start = 0; start < order.length; start += batchSize) yield order.subarray(start, Math.min(order.length, start + batchSize));
}
