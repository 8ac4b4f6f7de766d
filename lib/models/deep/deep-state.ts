import type { Optimizer } from "../../training/optimizers";
import { TRAINING_STATE_PREFIX } from "../../training/model-state";
import type { ModelState } from "../types";
import { saveHistory, type UserHistory } from "./history";
import type { Weights } from "./weights";

const OPTIMIZER_PREFIX = `${TRAINING_STATE_PREFIX}optimizer/`;

/** A tf model's saved state: its weights, the user histories it scores from, optimizer moments (pass null to leave them out). */
export function saveDeepState(json: Record<string, unknown>, weights: Weights, history: UserHistory, optimizer: Optimizer | null): ModelState {
  return { json, arrays: { ...weights.save(), ...saveHistory(history), ...(optimizer?.exportState(OPTIMIZER_PREFIX) ?? {}) } };
}

/**
 * Rebuilds the optimizer when the state carries its moments (a training checkpoint), so a
 * resumed run continues exactly; a plain saved model has none and gets null.
 */
export function restoreOptimizer(state: ModelState, make: () => Optimizer): Optimizer | null {
  if (!Object.keys(state.arrays).some((k) => k.startsWith(TRAINING_STATE_PREFIX))) return null;
  const optimizer = make();
  optimizer.importState(state.arrays, OPTIMIZER_PREFIX);
  return optimizer;
}
