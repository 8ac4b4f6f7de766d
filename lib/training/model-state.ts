import type { ModelState } from "../models/types";

/**
 * A deep copy of a model state. `save()` may hand out the model's live arrays, which keep
 * changing as training goes on; a best-epoch snapshot must not.
 */
export function cloneModelState(state: ModelState): ModelState {
  const arrays: ModelState["arrays"] = {};
  for (const [name, array] of Object.entries(state.arrays)) arrays[name] = array.slice();
  return { json: structuredClone(state.json), arrays };
}

/**
 * Prefix of ModelState arrays that only resuming training needs (optimizer moments, sample
 * order); scoring must not depend on them, and best-epoch snapshots drop them.
 */
export const TRAINING_STATE_PREFIX = "training/";

/** A deep copy without the training-only arrays: what a best-epoch snapshot keeps. */
export function cloneScoringState(state: ModelState): ModelState {
  const arrays: ModelState["arrays"] = {};
  for (const [name, array] of Object.entries(state.arrays)) {
    if (!name.startsWith(TRAINING_STATE_PREFIX)) arrays[name] = array.slice();
  }
  return { json: structuredClone(state.json), arrays };
}
