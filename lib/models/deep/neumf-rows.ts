/**
 * Which embedding rows a NeuMF training step projects through the first MLP layer
 * (./neumf-fast.ts): on a large table only the batch's distinct rows, otherwise the whole table.
 * Pure index work, shared with the FLOP count (lib/training/deep-flops.ts).
 */

/**
 * A step projects its distinct ids' rows when they are fewer than this share of the table (a
 * large catalogue: ~1,000 of 9,724 items a step), and otherwise the whole table, whose one matMul
 * is cheaper than gathering most of its rows and scattering their gradient back (ml-100k's
 * 1,682 items: ~770 a step).
 */
export const COMPACT_BELOW_SHARE = 0.25;

/**
 * The rows a step projects: the `distinct` ids in order of first appearance, with each pair's row
 * among them (`local`); or `distinct` null and `local` the ids themselves (the whole table).
 */
export interface StepRows {
  distinct: Int32Array | null;
  local: Int32Array;
}

/** The rows of a table of `size` that the step's ids `ids[0..n)` project (see COMPACT_BELOW_SHARE). */
export function stepRows(ids: Int32Array, n: number, size: number): StepRows {
  const limit = COMPACT_BELOW_SHARE * size;
  const slot = new Int32Array(size).fill(-1);
  const local = new Int32Array(n), order: number[] = [];
  for (let p = 0; p < n; p++) {
    const id = ids[p];
    if (slot[id] < 0) {
      // Too many for the share: stop here, the whole table is projected.
      if (order.length + 1 >= limit) return { distinct: null, local: ids };
      slot[id] = order.push(id) - 1;
    }
    local[p] = slot[id];
  }
  return { distinct: Int32Array.from(order), local };
}
