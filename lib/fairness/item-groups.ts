import type { Csr } from "../datasets/types";

/** pop(i): training interactions (stored entries) of every item. */
export function itemPopularity(train: Csr): Float64Array {
  const pop = new Float64Array(train.numCols);
  const end = train.indptr[train.numRows];
  for (let p = 0; p < end; p++) pop[train.indices[p]]++;
  return pop;
}

/**
 * Long-tail membership (1 = tail): the short head is the shortest prefix of items sorted by
 * popularity descending (ties: lower item index first) holding at least `headShare` of all
 * interactions; every other item is tail (Abdollahpouri, Burke & Mobasher, "Managing popularity
 * bias in recommender systems with personalized re-ranking", FLAIRS 2019). No interactions at
 * all: every item is tail.
 */
export function longTail(popularity: Float64Array, headShare = 0.2): Uint8Array {
  const n = popularity.length;
  const tail = new Uint8Array(n).fill(1);
  let total = 0;
  for (let i = 0; i < n; i++) total += popularity[i];
  if (total <= 0) return tail;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => popularity[b] - popularity[a] || a - b);
  let cum = 0;
  for (let r = 0; r < n && cum < headShare * total; r++) {
    cum += popularity[order[r]];
    tail[order[r]] = 0;
  }
  return tail;
}
