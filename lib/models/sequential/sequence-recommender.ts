import type { InteractionTable } from "../../datasets/types";
import { Rng } from "../../util/rng";
import { notFitted, readInt32 } from "../shared/state";
import type { FitContext, ModelState, Recommender, TrainingData } from "../types";
import { appendRows, type UserSequences } from "./sequences";
import { loadedTf, type Tf, type WeightBag } from "./tf-helpers";

/**
 * What GRU4Rec, Caser and SASRec share: tf weights plus each user's chronological item
 * sequence, saved and loaded together, and histories extended by observe() before test.
 */
export abstract class SequenceRecommender implements Recommender {
  protected weights: WeightBag | null = null;
  protected sequences: UserSequences | null = null;

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

  save(): ModelState {
    if (!this.weights || !this.sequences) throw notFitted(this.displayName);
    const s = this.sequences;
    return { json: { model: this.modelId }, arrays: { ...this.weights.save(), seqIndptr: s.indptr, seqItems: s.items } };
  }

  load(state: ModelState): void {
    const tf = loadedTf();
    if (!this.weights) this.initWeights(tf, new Rng(0));
    this.weights!.load(state);
    const indptr = readInt32(state, "seqIndptr", this.numUsers + 1);
    const items = readInt32(state, "seqItems");
    this.sequences = { numUsers: this.numUsers, indptr, items, times: new Float64Array(items.length) };
  }

  observe(rows: InteractionTable): void {
    if (!this.sequences) throw notFitted(this.displayName);
    this.sequences = appendRows(this.sequences, rows);
  }
}
