import type { Scalar, Tensor } from "@tensorflow/tfjs";
import { learningRateAt, type DeepTrainingParams } from "../../training/deep-training";
import type { Optimizer } from "../../training/optimizers";
import { epochRng, mix32 } from "../../training/seeding";
import type { DataParallelGradients, Replica, ReplicaSource } from "../../training/threads/data-parallel";
import type { Rng } from "../../util/rng";
import type { FitContext } from "../types";
import type { Tf, WeightBag } from "./tf-helpers";

/**
 * The epoch loop shared by the sequential models: mini-batches shuffled by a per-epoch Rng
 * (derived from the seed and the epoch only), one optimizer step per batch at the scheduled
 * learning rate, mean loss per epoch, and FitContext.onEpoch after every epoch (the trainer
 * validates there and may stop; FitContext.interrupted is awaited after every step). Every step
 * runs in tf.tidy, so tf.memory() stays flat. A resumed fit starts at ctx.startEpoch with the
 * optimizer the model restored from its checkpoint. With `parallel` and ctx.threads ≥ 2, each
 * step's gradient is computed data-parallel over that many threads
 * (lib/training/threads/data-parallel.ts); with one thread the loop is the single-thread path.
 */
interface EpochLoopCommon<B> {
  tf: Tf;
  weights: WeightBag;
  params: DeepTrainingParams;
  /** The optimizer to step; the model keeps it, so its moments go into checkpoints. */
  optimizer: Optimizer;
  ctx: FitContext;
  /** The loss of one mini-batch; `rng` is the epoch's (dropout seeds, negatives). */
  loss: (batch: B, rng: Rng) => Scalar;
  /** Examples in a batch (weights the epoch's mean loss); default the batch's length. */
  sizeOf?: (batch: B) => number;
  /** Runs after each optimizer step (e.g. to carry a recurrent state forward). */
  afterStep?: (batch: B) => void;
  /**
   * Data-parallel training (models whose steps are independent given the weights): `replica`
   * is this thread's (the model itself), `source` builds the others, `split` cuts a batch into
   * one contiguous shard per thread.
   */
  parallel?: { replica: Replica<B>; source: ReplicaSource; split: (batch: B, parts: number) => B[] };
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
  const { tf, params, ctx, optimizer } = o;
  const names = new Map(Object.entries(o.weights.vars).map(([name, v]) => [v.name, name]));
  const varList = o.weights.list();
  const threads = ctx.threads ?? 1;
  let parallel: DataParallelGradients<B> | null = null;
  let finished = false;
  if (o.parallel && threads > 1) {
    const { DataParallelGradients } = await import("../../training/threads/data-parallel");
    parallel = await DataParallelGradients.open(tf, threads, o.parallel.replica, o.parallel.source, o.parallel.split);
  }
  try {
    for (let epoch = ctx.startEpoch ?? 1; epoch <= params.epochs; epoch++) {
      const rng = epochRng(ctx.seed, epoch);
      const lr = learningRateAt(params, epoch);
      const losses: Tensor[] = [];
      let parallelLoss = 0;
      let examples = 0;
      let step = 0;
      const batches = o.batches ? o.batches(rng) : (shuffledBatches(Int32Array.from({ length: o.count }, (_, i) => i), params.batchSize, rng) as Iterable<B>);
      for (const batch of batches) {
        const size = o.sizeOf ? o.sizeOf(batch) : (batch as { length: number }).length;
        if (parallel) {
          const { grads, loss } = await parallel.step(batch, mix32(mix32(ctx.seed, epoch), step));
          tf.tidy(() => optimizer.step(grads, lr));
          tf.dispose(Object.values(grads));
          parallel.publishWeights();
          parallelLoss += loss * size;
        } else {
          const weighted = tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => o.loss(batch, rng), varList);
            const named: Record<string, Tensor> = {};
            for (const [key, g] of Object.entries(grads)) named[names.get(key) ?? key] = g;
            optimizer.step(named, lr);
            return tf.mul(value, size);
          });
          // Kept on the device: one read per epoch instead of a sync per step.
          losses.push(weighted);
        }
        examples += size;
        step++;
        o.afterStep?.(batch);
        if (ctx.interrupted && (await ctx.interrupted())) {
          tf.dispose(losses);
          return;
        }
      }
      const total = losses.length > 0 ? tf.tidy(() => tf.addN(losses)) : null;
      const sum = total ? (await total.data())[0] : parallelLoss;
      const loss = examples > 0 ? sum / examples : 0;
      tf.dispose(losses);
      total?.dispose();
      const decision = await ctx.onEpoch?.({ epoch, totalEpochs: params.epochs, loss });
      if (decision?.stop) break;
    }
    finished = true;
  } finally {
    // Threads are kept for the next fit after a normal end, killed on cancellation or failure.
    if (parallel && finished) await parallel.close();
    else parallel?.terminate();
  }
}

/** The given example indices, shuffled in place by `rng` and cut into batches. */
export function* shuffledBatches(indices: Int32Array, batchSize: number, rng: Rng): Iterable<Int32Array> {
  const order = rng.shuffle(indices);
  for (let start = 0; start < order.length; start += batchSize) yield order.subarray(start, Math.min(order.length, start + batchSize));
}
