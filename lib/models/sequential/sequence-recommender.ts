import type { InteractionTable } from "../../datasets/types";
import type { DeepTrainingParams } from "../../training/deep-training";
import { TRAINING_STATE_PREFIX } from "../../training/model-state";
import { createOptimizer, type Optimizer, type OptimizerConfig } from "../../training/optimizers";
import { Rng } from "../../util/rng";
import { notFitted, readInt32 } from "../shared/state";
import type { FitContext, ItemLists, ModelState, Recommender, SaveOptions, TrainingData } from "../types";
import { appendRows, fillRecentWindow, type UserSequences } from "./sequences";
import { loadedTf, type Tf, type WeightBag } from "./tf-helpers";

/**
 * What GRU4Rec, Caser and SASRec share: tf weights plus each user's chronological item
 * sequence, saved and loaded together, and histories extended by observe() before test. The
 * optimizer's moments are saved too (under "training/optimizer/"), so a checkpointed fit resumes
 * exactly where it stopped.
 */
const OPTIMIZER_PREFIX = `${TRAINING_STATE_PREFIX}optimizer/`;

export abstract class SequenceRecommender implements Recommender {
  protected weights: WeightBag | null = null;
  protected sequences: UserSequences | null = null;
  private optimizer: Optimizer | null = null;
  /** Optimizer moments from a loaded checkpoint, applied when the resumed fit creates its optimizer. */
  private loadedOptimizerState: ModelState["arrays"] | null = null;

  constructor(
    /** Model id, stored in the saved state. */
    private readonly modelId: string,
    /** Display name, for "not fitted" errors. */
    private readonly displayName: string,
    protected readonly numUsers: number,
    protected readonly numItems: number,
  ) {}

  abstract fit(data: TrainingData, ctx: FitContext): Promise<void>;
  abstract score(users: Int32Array, out: Float32Array): void;
  /** Creates the tf weights (random from `rng`; values are overwritten when loading). */
  protected abstract initWeights(tf: Tf, rng: Rng): void;

  /**
   * The weights and optimizer a fit trains: fresh from the seed, or — resuming at
   * ctx.startEpoch > 1 after the trainer load()ed a checkpoint — the loaded ones and their moments.
   */
  protected prepareFit(tf: Tf, ctx: FitContext, params: DeepTrainingParams, extra: Partial<OptimizerConfig> = {}): Optimizer {
    const resuming = (ctx.startEpoch ?? 1) > 1 && this.weights !== null;
    this.dropOptimizer();
    if (!resuming) this.initWeights(tf, new Rng(ctx.seed));
    const config = { name: params.optimizer, momentum: params.momentum, weightDecay: params.weightDecay, ...extra };
    this.optimizer = createOptimizer(tf, config, this.weights!.vars);
    if (resuming && this.loadedOptimizerState) this.optimizer.importState(this.loadedOptimizerState, OPTIMIZER_PREFIX);
    this.loadedOptimizerState = null;
    return this.optimizer;
  }

  save({ scoring = false }: SaveOptions = {}): ModelState {
    if (!this.weights || !this.sequences) throw notFitted(this.displayName);
    const s = this.sequences;
    const optimizer = scoring ? {} : (this.optimizer?.exportState(OPTIMIZER_PREFIX) ?? {});
    return { json: { model: this.modelId }, arrays: { ...this.weights.save(), seqIndptr: s.indptr, seqItems: s.items, ...optimizer } };
  }

  load(state: ModelState): void {
    const tf = loadedTf();
    if (!this.weights) this.initWeights(tf, new Rng(0));
    this.weights!.load(state);
    // A checkpoint carries the moments (kept for the resumed fit); a plain saved model or a
    // best-epoch snapshot does not.
    this.dropOptimizer();
    this.loadedOptimizerState = Object.keys(state.arrays).some((k) => k.startsWith(OPTIMIZER_PREFIX)) ? state.arrays : null;
    const indptr = readInt32(state, "seqIndptr", this.numUsers + 1);
    const items = readInt32(state, "seqItems");
    this.sequences = { numUsers: this.numUsers, indptr, items, times: new Float64Array(items.length) };
  }

  /** What-if histories for `scoreHistories`, read by `fillWindow` while set. */
  private substitute: UserSequences | null = null;

  scoreHistories(users: Int32Array, histories: ItemLists, out: Float32Array): void {
    const rows = histories.indptr.length - 1;
    this.substitute = { numUsers: rows, indptr: histories.indptr, items: histories.items, times: new Float64Array(histories.items.length) };
    try {
      this.score(users, out);
    } finally {
      this.substitute = null;
    }
  }

  /**
   * Writes the recent window of the user scored in row `row` of `users` (see fillRecentWindow):
   * the stored history, or the substituted one during `scoreHistories`. Returns the real items.
   */
  protected fillWindow(users: Int32Array, row: number, maxLen: number, out: Int32Array, offset: number): number {
    if (this.substitute) return fillRecentWindow(this.substitute, row, maxLen, out, offset);
    if (!this.sequences) throw notFitted(this.displayName);
    return fillRecentWindow(this.sequences, users[row], maxLen, out, offset);
  }

  private dropOptimizer(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
  }

  observe(rows: InteractionTable): void {
    if (!this.sequences) throw notFitted(this.displayName);
    this.sequences = appendRows(this.sequences, rows);
  }
}
