import type { Scalar, Tensor, Tensor2D } from "@tensorflow/tfjs";
import { restoreOptimizer, saveDeepState } from "./deep-state";
import { learningRateAt, type DeepTrainingParams } from "../../training/deep-training";
import { createOptimizer, type Optimizer } from "../../training/optimizers";
import { loadTensorflow, requireTensorflow, type Tf } from "../../training/tf-backend";
import { Rng } from "../../util/rng";
import { notFitted } from "../shared/state";
import type { FitContext, ItemLists, ModelState, Recommender, SaveOptions, TrainingData } from "../types";
import { runEpochs } from "./epochs";
import { opSeed } from "../../training/seeding";
import { activeUsers, historyOf, loadHistory, type UserHistory } from "./history";
import { denseRows, historyRows, type SparseRows } from "./sparse-input";
import { scoreInBatches, trainStep, Weights } from "./weights";
import { BatchNorm, type BatchNormParams } from "./batch-norm";
import { WeightAverage } from "./weight-average";

/** Users per scoring batch: [batch, numItems] floats are read back per batch (~3 ms/MB). */
const SCORE_BATCH = 256;

export interface StepInfo {
  /** 0-based global gradient step (epochs × batches so far), for annealing schedules. */
  step: number;
  /** Steps in a full run of `epochs` epochs. */
  totalSteps: number;
  /** Seed for this step's random tf ops (dropout masks, noise). */
  seed: number;
}

/** A training batch: the users and their 0/1 rows (the encoder's input and the loss's targets). */
export interface UserBatch {
  users: Int32Array;
  rows: SparseRows;
  /** The rows as a dense [users, items] tensor, made on demand (inside the loss's tf scope). */
  dense(): Tensor2D;
}

/**
 * Shared machinery of the user-based autoencoders (CDAE, Mult-DAE, Mult-VAE): a user's training
 * row in, scores over all items out. Subclasses declare weights and the batch loss / forward
 * pass; this class owns the epoch loop (users shuffled per (seed, epoch)), the optimizer and its
 * checkpointable state, the optional weight average that is scored, batched scoring and save/load
 * (the users' histories included, since scoring reads them).
 */
export abstract class UserAutoencoder<P extends DeepTrainingParams & BatchNormParams & { weightAverageDecay: number }> implements Recommender {
  protected tf: Tf | null = null;
  protected weights: Weights | null = null;
  protected history: UserHistory | null = null;
  private optimizer: Optimizer | null = null;
  /** The moving average of the weights that is scored (none when `weightAverageDecay` is 0). */
  private average: WeightAverage | null = null;
  /** Moving statistics of the hidden layers' batch norm (none declared when it is off). */
  private norms = new BatchNorm();

  constructor(
    protected readonly params: P,
    protected readonly numUsers: number,
    protected readonly numItems: number,
    private readonly displayName: string,
  ) {}

  /** Creates every weight with seeded initial values. */
  protected abstract initWeights(tf: Tf, weights: Weights, rng: Rng): void;
  /** With `batchNorm` on: declares a batch-norm layer over `size` hidden units (call from initWeights). */
  protected addNorm(w: Weights, name: string, size: number): void {
    if (this.params.batchNorm) this.norms.addLayer(name, size, (n, shape, values) => w.add(n, shape, values));
  }

  /** With `batchNorm` on: layer `name`'s batch norm of `x` (batch statistics when `training`); else `x`. */
  protected norm(tf: Tf, w: Weights, name: string, x: Tensor, training: boolean): Tensor {
    return this.params.batchNorm ? this.norms.apply(tf, name, x, (n) => w.get(n), training) : x;
  }

  /** Mean training loss of a batch. */
  protected abstract batchLoss(tf: Tf, weights: Weights, batch: UserBatch, info: StepInfo): Scalar;
  /** Scores (higher = better) over all items for a batch of users; `rows` are their 0/1 rows. */
  protected abstract forward(tf: Tf, weights: Weights, rows: SparseRows, users: Int32Array): Tensor;

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { tf } = await loadTensorflow();
    this.tf = tf;
    const startEpoch = ctx.startEpoch ?? 1;
    if (startEpoch <= 1 || !this.weights || !this.history) {
      this.disposeModel();
      this.history = historyOf(data.train);
      this.weights = new Weights(tf);
      this.initWeights(tf, this.weights, new Rng(ctx.seed));
      this.average = WeightAverage.start(tf, this.weights, this.params.weightAverageDecay);
    }
    const weights = this.weights, history = this.history;
    // Optimizer state arrives with load() (a checkpoint) or starts fresh here.
    this.optimizer ??= this.makeOptimizer(tf, weights);
    const optimizer = this.optimizer;

    const users = activeUsers(history);
    const batchSize = Math.max(1, Math.min(this.params.batchSize, users.length));
    const batchesPerEpoch = Math.ceil(users.length / batchSize);
    const totalSteps = batchesPerEpoch * this.params.epochs;

    await runEpochs(ctx, this.params.epochs, async (epoch, rng, interrupted) => {
      const lr = learningRateAt(this.params, epoch);
      const order = rng.shuffle(users.slice());
      let lossSum = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        const batch = order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
        const info: StepInfo = { step: (epoch - 1) * batchesPerEpoch + b, totalSteps, seed: opSeed(rng) };
        const rows = historyRows(history, batch);
        const dense = () => tf.tensor2d(denseRows(rows, this.numItems), [batch.length, this.numItems]);
        lossSum += trainStep(tf, weights, optimizer, () => this.batchLoss(tf, weights, { users: batch, rows, dense }, info), lr);
        this.average?.update(weights);
        if (await interrupted()) break;
      }
      return lossSum / batchesPerEpoch;
    });
  }

  score(users: Int32Array, out: Float32Array): void {
    if (!this.history) throw notFitted(this.displayName);
    this.scoreRows(users, this.history, users, out);
  }

  scoreHistories(users: Int32Array, histories: ItemLists, out: Float32Array): void {
    this.scoreRows(users, { indptr: histories.indptr, indices: histories.items }, Int32Array.from(users, (_, r) => r), out);
  }

  /** Scores user `users[r]` from row `rows[r]` of `history`. */
  private scoreRows(users: Int32Array, history: UserHistory, rows: Int32Array, out: Float32Array): void {
    const tf = this.tf, weights = this.average?.weights ?? this.weights;
    if (!tf || !weights) throw notFitted(this.displayName);
    const positions = Int32Array.from(users, (_, r) => r);
    scoreInBatches(tf, positions, out, this.numItems, SCORE_BATCH, (batch) =>
      this.forward(tf, weights, historyRows(history, Array.from(batch, (r) => rows[r])), Int32Array.from(batch, (r) => users[r])),
    );
  }

  save({ scoring = false }: SaveOptions = {}): ModelState {
    const { weights, history } = this;
    if (!weights || !history) throw notFitted(this.displayName);
    const state = saveDeepState({ model: this.displayName }, weights, history, scoring ? null : this.optimizer);
    return { ...state, arrays: { ...state.arrays, ...this.norms.save(), ...this.average?.save() } };
  }

  load(state: ModelState): void {
    const { tf } = requireTensorflow();
    this.tf = tf;
    this.disposeModel();
    this.history = loadHistory(state, this.numUsers);
    this.weights = new Weights(tf);
    // Same shapes as fit() builds; the values come from the state.
    this.initWeights(tf, this.weights, new Rng(0));
    this.weights.load(state);
    this.average = WeightAverage.load(tf, this.weights, this.params.weightAverageDecay, state);
    this.norms.load(state.arrays);
    const weights = this.weights;
    const restored = restoreOptimizer(state, () => this.makeOptimizer(tf, weights));
    if (restored) this.optimizer = restored;
  }

  private makeOptimizer(tf: Tf, weights: Weights): Optimizer {
    const p = this.params;
    return createOptimizer(tf, { name: p.optimizer, momentum: p.momentum, weightDecay: p.weightDecay }, weights.vars);
  }

  private disposeModel(): void {
    this.norms = new BatchNorm(this.params.batchNormMomentum);
    this.optimizer?.dispose();
    this.optimizer = null;
    this.weights?.dispose();
    this.weights = null;
    this.average?.dispose();
    this.average = null;
  }
}
