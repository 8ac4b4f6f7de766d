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
