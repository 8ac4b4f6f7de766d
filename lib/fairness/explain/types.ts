import type { Recommender, TrainingData } from "../../models/types";

/**
 * Explanations: why a model recommends an item to a user. One explainer per model family reads
 * the fitted model through its public seams (the named arrays of `save()`, `score`,
 * `scoreHistories`) instead of each model growing an `explain` method: models stay minimal
 * (fit + score), the maths shared by a family (exact decomposition, fold-in, leave-one-out)
 * lives once here, and an explainer can be added or changed without touching a model's file.
 */

export type ExplanationKind = "contributions" | "neighbours" | "attention" | "content" | "popularity";

/** A history item behind the recommendation. */
export interface ExplainedItem {
  item: number;
  /** The item's weight: its exact score contribution, or the score drop when it is left out. */
  weight: number;
  /** weight / Σ|weight| over every history item the explainer weighed (|shares| sum to 1). */
  share: number;
  /** Cosine of the two items in the model's learned item space, where the model has one. */
  similarity?: number;
  /** The attention the model's last position pays to this item (SASRec; sums to 1 over the window). */
  attention?: number;
  /** The recommended item's score with this item left out of the user's history (Explanation.score's scale). */
  scoreWithout?: number;
}

/** A content feature behind the recommendation (a genre, a title word). */
export interface ExplainedFeature {
  name: string;
  weight: number;
}

export interface Explanation {
  user: number;
  item: number;
  kind: ExplanationKind;
  /**
   * The score being explained: the model's score, or for factor models the score of the user's
   * history folded in (what leave-one-out is measured against).
   */
  score: number;
  /** History items, most important first. */
  items?: ExplainedItem[];
  features?: ExplainedFeature[];
  /** One sentence for people. */
  text: string;
  /** True when the weights add up to the score exactly (a decomposition), not an estimate. */
  exact: boolean;
}

export interface ExplainOptions {
  /** Most history items (or features) listed; default 5. */
  limit?: number;
}

export interface Explainer {
  explain(user: number, item: number, options?: ExplainOptions): Explanation;
  /** `item`'s score for `user` with `removed` left out of the history, on Explanation.score's scale. */
  scoreWithout(user: number, item: number, removed: number): number;
}

/** What an explainer is built from: the fitted model, its resolved parameters and its training data. */
export interface ExplainerInput {
  model: Recommender;
  params: Record<string, unknown>;
  data: TrainingData;
}

export type ExplainerFactory = (input: ExplainerInput) => Explainer;
