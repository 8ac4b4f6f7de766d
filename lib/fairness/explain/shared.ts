import { buildUserSequences } from "../../models/sequential/sequences";
import type { ItemLists, TrainingData } from "../../models/types";
import type { ExplainedItem, ExplainOptions } from "./types";

export const DEFAULT_LIMIT = 5;

/** Every user's training items, oldest first (sequence models read the order; others ignore it). */
export function chronologicalHistories(data: TrainingData): ItemLists {
  const seqs = buildUserSequences(data.trainTable, data.numUsers);
  return { indptr: seqs.indptr, items: seqs.items };
}

export function historyOf(lists: ItemLists, user: number): Int32Array {
  return lists.items.subarray(lists.indptr[user], lists.indptr[user + 1]);
}

/** Item vectors, `numItems × dim` row-major: a model's learned item space. */
export interface ItemSpace {
  dim: number;
  vectors: Float32Array;
}

/** The item space of a `[dim, numItems]` weight matrix (a decoder), one column per item. */
export function itemSpaceFromColumns(weights: Float32Array, dim: number, numItems: number): ItemSpace {
  const vectors = new Float32Array(dim * numItems);
  for (let f = 0; f < dim; f++) for (let i = 0; i < numItems; i++) vectors[i * dim + f] = weights[f * numItems + i];
  return { dim, vectors };
}

export function cosine(space: ItemSpace, a: number, b: number): number {
  const { dim, vectors: v } = space;
  let ab = 0, aa = 0, bb = 0;
  for (let f = 0; f < dim; f++) {
    const x = v[a * dim + f], y = v[b * dim + f];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Per-item fields of a weighed history: `weights[k]` belongs to `items[k]`. */
export interface WeighedHistory {
  items: ArrayLike<number>;
  weights: ArrayLike<number>;
  similarity?: ArrayLike<number>;
  attention?: ArrayLike<number>;
  scoreWithout?: ArrayLike<number>;
}

/** The `limit` history items of largest weight, with shares of Σ|weight| over all of them. */
export function topItems(h: WeighedHistory, options: ExplainOptions = {}): ExplainedItem[] {
  const limit = options.limit ?? DEFAULT_LIMIT;
  let total = 0;
  for (let k = 0; k < h.weights.length; k++) total += Math.abs(h.weights[k]);
  const order = Array.from({ length: h.items.length }, (_, k) => k).sort((a, b) => h.weights[b] - h.weights[a] || h.items[a] - h.items[b]);
  return order.slice(0, limit).map((k) => ({
    item: h.items[k],
    weight: h.weights[k],
    share: total > 0 ? h.weights[k] / total : 0,
    ...(h.similarity ? { similarity: h.similarity[k] } : {}),
    ...(h.attention ? { attention: h.attention[k] } : {}),
    ...(h.scoreWithout ? { scoreWithout: h.scoreWithout[k] } : {}),
  }));
}

export function itemName(data: TrainingData, item: number): string {
  return data.items?.title?.[item] ?? `item ${item}`;
}

/** "Recommended X because of A (40%), B (25%)": the listed items with their shares. */
export function becauseText(data: TrainingData, item: number, items: ExplainedItem[], reason: string): string {
  if (items.length === 0) return `${itemName(data, item)}: no history item ${reason}.`;
  const listed = items.map((e) => `${itemName(data, e.item)} (${Math.round(100 * e.share)}%)`).join(", ");
  return `${itemName(data, item)}, ${reason}: ${listed}.`;
}

/**
 * Leave-one-out histories: row 0 is `history`, row k + 1 is `history` without its element at
 * position `positions[k]` (order kept).
 */
export function leaveOneOutLists(history: Int32Array, positions: ArrayLike<number>): ItemLists {
  const n = history.length, rows = positions.length + 1;
  const indptr = new Int32Array(rows + 1);
  const items = new Int32Array(n + positions.length * (n - 1));
  items.set(history, 0);
  indptr[1] = n;
  for (let k = 0; k < positions.length; k++) {
    const start = indptr[k + 1], skip = positions[k];
    items.set(history.subarray(0, skip), start);
    items.set(history.subarray(skip + 1), start + skip);
    indptr[k + 2] = start + n - 1;
  }
  return { indptr, items };
}
