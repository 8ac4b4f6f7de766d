import type { z } from "zod";
import type { Csr, Dataset, Feedback, InteractionTable, ItemAttributes } from "../datasets/types";
import type { ParallelWork } from "../training/threads/settings";

/**
 * The model contract. A model implements the minimum: `fit` and `score` (all items for a batch
 * of users). Top-K, seen-item masking, batching and metrics live once in lib/metrics/evaluate.ts.
 */

/** What a model is trained on: the training rows only, in CSR and as a table. */
export interface TrainingData {
  numUsers: number;
  numItems: number;
  feedback: Feedback;
  /** Training interactions by user; values are ratings (explicit) or 1 (implicit). */
  train: Csr;
  /** The same training rows as columns, in their original order (timestamps for sequences). */
  trainTable: InteractionTable;
  items?: ItemAttributes;
  users?: Dataset["users"];
}

export interface EpochReport {
  /** 1-based epoch just finished. */
  epoch: number;
  totalEpochs: number;
  /** Mean training loss of the epoch, where the model has one. */
  loss?: number;
}

/** What the trainer tells the model after an epoch. */
export interface EpochDecision {
  stop: boolean;
}

export interface FitContext {
  seed: number;
  /**
   * Called after every epoch (models with `training: "epochs"`). The trainer evaluates on
   * validation, logs the learning curve, snapshots the best state and may ask to stop.
   */
  onEpoch?: (report: EpochReport) => Promise<EpochDecision | void>;
  /**
   * 1-based epoch to start at (default 1). Above 1 the trainer has already `load()`ed the state
   * saved after epoch `startEpoch − 1` (a checkpoint): epoch models continue from it without
   * re-initialising, and draw epoch e's randomness from (seed, e) (lib/training/seeding.ts) so
   * the resumed run matches an uninterrupted one. Closed-form models ignore it.
   */
  startEpoch?: number;
  /**
   * Awaited between mini-batches (per-sample SGD models: every few thousand steps); true means
   * stop now: the model returns from fit() at once, without finishing the epoch or calling
   * onEpoch, and the trainer restores the best evaluated epoch (lib/training/interrupt.ts).
   */
  interrupted?: () => Promise<boolean>;
  /**
   * Threads this fit may use (default 1; the trainer passes lib/training/threads/settings.ts's
   * count). Models that train data-parallel or with threaded kernels use them; results depend
   * on the seed and this count, and with 1 every model runs its single-thread path.
   */
  threads?: number;
}

/** A model's learned state: small JSON plus named typed arrays. */
export interface ModelState {
  json: Record<string, unknown>;
  arrays: Record<string, Float32Array | Int32Array>;
}

export interface Recommender {
  fit(data: TrainingData, ctx: FitContext): Promise<void>;
  /**
   * Scores every item for each user in `users`, written row-major into `out`
   * (`out.length >= users.length * numItems`). Higher is better. Unscorable items get -Infinity.
   */
  score(users: Int32Array, out: Float32Array): void;
  /** Predicted ratings for (user, item) pairs; only models that predict explicit ratings. */
  predict?(users: Int32Array, items: Int32Array): Float32Array;
  /**
   * Extends the user histories the model scores from, without training; sequence models
   * implement it. `rows` come after the rows the model has seen (the runner passes the
   * validation rows before scoring test on leave-one-out, as the standard sequential protocol
   * does). Models that score from fixed learned factors leave it out.
   */
  observe?(rows: InteractionTable): void;
  /**
   * What-if scoring: row r of `out` gets every item's score for user `users[r]` as if that
   * user's history were `histories` row r (items oldest first) instead of the stored one. Models
   * that score from a user's history (autoencoders, sequence models) implement it; explanations
   * use it for leave-one-out checks (lib/fairness/explain). Models whose user state is learned
   * (factor models) leave it out.
   */
  scoreHistories?(users: Int32Array, histories: ItemLists, out: Float32Array): void;
  /** Settings the model chose itself while fitting (e.g. EASE's λ picked on a holdout), reported with the run. */
  chosenSettings?(): Record<string, number>;
  /**
   * The model's state. `{ scoring: true }`: what scoring needs only — a model may then leave out
   * its training-only arrays (optimizer moments), which a best-epoch snapshot would drop anyway
   * after copying them (lib/training/model-state.ts).
   */
  save(options?: SaveOptions): ModelState;
  load(state: ModelState): void;
}

export interface SaveOptions {
  scoring?: boolean;
}

/** Item lists per row: row r is items[indptr[r] .. indptr[r + 1]), in order (oldest first). */
export interface ItemLists {
  indptr: Int32Array;
  items: Int32Array;
}

/**
 * A point where an epochs model changes what it trains, and so what its training loss sums:
 * from `fromEpoch` on, `label` (short, drawn on the run's curves); `detail` explains the step.
 */
export interface TrainingPhase {
  fromEpoch: number;
  label: string;
  detail: string;
}

export interface PaperReference {
  authors: string;
  title: string;
  venue: string;
  year: number;
  url?: string;
}

/**
 * A registered model: metadata the UI, API validation, worker and tests all read, plus a
 * factory. The runner never branches on `id`; it reads the declared needs.
 */
export interface ModelDefinition<S extends z.ZodObject<z.ZodRawShape> = z.ZodObject<z.ZodRawShape>> {
  id: string;
  displayName: string;
  /** One sentence on what the model does. */
  summary: string;
  paper?: PaperReference;
  /** Which feedback the model learns from; "explicit" models also predict ratings. */
  feedback: Feedback | "both";
  input: "matrix" | "pairs" | "sequences";
  training: "epochs" | "closed-form";
  /**
   * What computes the model: "js" (typed-array loops) or "tfjs" (TensorFlow.js, loaded lazily in
   * workers via lib/training/tf-backend.ts; await loadTensorflow() before load()/score() of a
   * model not fitted in this process).
   */
  engine: "js" | "tfjs";
  /**
   * True when scores do not depend on any learned per-user state (popularity), so users unseen
   * in training are scored like any other. Models that score from a history say so by
   * implementing Recommender.scoreHistories; the rest cannot run a user cold-start split.
   */
  scoresAnyUser?: boolean;
  /** Hyperparameters with defaults and .describe() text; the launch form is generated from it. */
  paramsSchema: S;
  create(params: z.infer<S>, numUsers: number, numItems: number): Recommender;
  /**
   * Peak bytes of fitting and scoring this model (its large arrays), for a fail-fast check
   * before training. Pure: must not touch Node APIs (lib/models/memory.ts holds the estimators,
   * which the launch form also uses). Absent: the runner uses a generic factor-model estimate.
   */
  estimateMemoryBytes?(params: z.infer<S>, numUsers: number, numItems: number, numInteractions: number): number;
  /**
   * Models that fit on several threads (FitContext.threads): the fit's work and the least work
   * at which threads pay for their start-up (lib/training/threads/settings.ts). Below it the
   * trainer passes threads: 1. Absent: the model always fits on one thread.
   */
  parallelFit?(params: z.infer<S>, size: { numUsers: number; numItems: number; numInteractions: number }): ParallelWork;
  /** Where training changes phase (NeuMF's pre-training, then fusion); the run page marks them. Absent: one phase. */
  trainingPhases?(params: z.infer<S>): TrainingPhase[];
}
