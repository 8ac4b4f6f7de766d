// CONTRACT STUB — replaced by the simulator's implementation. Keep the exported names and shapes.
import type { Csr } from "../datasets/types";
import type { Recommender } from "../models/types";
import type { SlatePolicy } from "./types";

/**
 * A trained run as an arm: its top-K unseen items per visit. With `epsilon` > 0 each slot is
 * explored (a uniformly random item outside the model's top-K) with probability epsilon, and the
 * slate carries its propensities so the arm's logs can be used for off-policy evaluation.
 */
export function policyFromRecommender(
  _model: Recommender,
  _train: Csr,
  _numItems: number,
  _options: { epsilon?: number; seed: number },
): SlatePolicy {
  throw new Error("not implemented");
}
