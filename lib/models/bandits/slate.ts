import type { Slate } from "../../simulation/types";
import type { Rng } from "../../util/rng";
import { TopK } from "../shared/top-k";

/**
 * Slate construction shared by every bandit policy: the K best-scored items outside the visitor's
 * history, optionally with ε-slot exploration and its exact position-wise propensities.
 */

/** A reusable mask of the items a visit must not show (its history), cleared after each use. */
export class HistoryMask {
  private readonly mask: Uint8Array;

  constructor(numItems: number) {
    this.mask = new Uint8Array(numItems);
  }

  /** Runs `body` with `history`'s items marked as excluded. */
  with<T>(history: Int32Array, body: (excluded: Uint8Array) => T): T {
    for (const item of history) if (item >= 0 && item < this.mask.length) this.mask[item] = 1;
    try {
      return body(this.mask);
    } finally {
      for (const item of history) if (item >= 0 && item < this.mask.length) this.mask[item] = 0;
    }
  }
}

/** The `k` highest-scored items with `excluded[item] === 0`, best first (ties to the lower index). */
export function topItems(scores: Float64Array | Float32Array, excluded: Uint8Array, k: number): Int32Array {
  const heap = new TopK(k);
  for (let item = 0; item < scores.length; item++) if (!excluded[item]) heap.push(item, scores[item]);
  const items = new Int32Array(heap.length);
  heap.drainDescending(items, new Float32Array(items.length), 0);
  return items;
}

/**
 * ε-slot exploration of a greedy slate: each slot independently keeps its greedy item with
 * probability 1 − ε, or shows a uniformly random item outside the greedy slate and the history
 * (without repeats). By symmetry each of the M such items lands on an explored slot with
 * probability 1/M, so the logged propensity is exactly 1 − ε (greedy) or ε/M (explored).
 */
export function exploreSlots(greedy: Int32Array, excluded: Uint8Array, epsilon: number, rng: Rng): Slate {
  const k = greedy.length;
  const propensities = new Float64Array(k).fill(1 - epsilon);
  if (epsilon <= 0) return { items: greedy, propensities };
  const explore: number[] = [];
  for (let slot = 0; slot < k; slot++) if (rng.next() < epsilon) explore.push(slot);
  const pool = explorationPool(greedy, excluded);
  const items = greedy.slice();
  if (explore.length === 0 || pool.length === 0) return { items, propensities };
  // A partial Fisher-Yates shuffle draws the explored items without repeats.
  for (let j = 0; j < explore.length && j < pool.length; j++) {
    const pick = j + rng.int(pool.length - j);
    [pool[j], pool[pick]] = [pool[pick], pool[j]];
    items[explore[j]] = pool[j];
    propensities[explore[j]] = epsilon / pool.length;
  }
  return { items, propensities };
}

/** Items that are neither in the greedy slate nor excluded. */
function explorationPool(greedy: Int32Array, excluded: Uint8Array): Int32Array {
  const inSlate = new Set(greedy);
  let count = 0;
  for (let item = 0; item < excluded.length; item++) if (!excluded[item] && !inSlate.has(item)) count++;
  const pool = new Int32Array(count);
  let at = 0;
  for (let item = 0; item < excluded.length; item++) if (!excluded[item] && !inSlate.has(item)) pool[at++] = item;
  return pool;
}
