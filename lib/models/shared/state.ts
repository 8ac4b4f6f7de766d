import { badInput } from "../../errors";
import type { ModelState } from "../types";

/**
 * Checked reads from a saved ModelState, so loading a state from another model or another
 * dataset fails with a message instead of scoring garbage.
 */

export function readFloat32(state: ModelState, name: string, length?: number): Float32Array {
  const a = state.arrays[name];
  if (!(a instanceof Float32Array)) throw badInput(`model state has no Float32Array "${name}"`);
  if (length !== undefined && a.length !== length) {
    throw badInput(`model state array "${name}" has length ${a.length}, expected ${length}`);
  }
  return a;
}

export function readInt32(state: ModelState, name: string, length?: number): Int32Array {
  const a = state.arrays[name];
  if (!(a instanceof Int32Array)) throw badInput(`model state has no Int32Array "${name}"`);
  if (length !== undefined && a.length !== length) {
    throw badInput(`model state array "${name}" has length ${a.length}, expected ${length}`);
  }
  return a;
}

export function readNumber(state: ModelState, name: string): number {
  const v = state.json[name];
  if (typeof v !== "number" || !Number.isFinite(v)) throw badInput(`model state has no number "${name}"`);
  return v;
}

/** Fails a model's `score`/`predict` called before `fit` or `load`. */
export function notFitted(modelName: string): Error {
  return new Error(`${modelName} is not fitted: call fit() or load() first`);
}
