import type { Rng } from "../../util/rng";

/** Items per user as CSR (indptr/indices), e.g. the training matrix. */
export interface ItemLists {
  indptr: Int32Array;
  indices: Int32Array;
}

/**
 * Each user's items sorted ascending (so membership is a binary search) and, for every entry,
 * its user: the inputs of uniform negative sampling in BPR and NeuMF.
 */
export function sortedPositives(lists: ItemLists, numUsers: number): { positives: Int32Array; entryUser: Int32Array } {
  const positives = lists.indices.slice();
  const entryUser = new Int32Array(positives.length);
  for (let u = 0; u < numUsers; u++) {
    positives.subarray(lists.indptr[u], lists.indptr[u + 1]).sort();
    entryUser.fill(u, lists.indptr[u], lists.indptr[u + 1]);
  }
  return { positives, entryUser };
}

/** True when `value` is in sorted[start, end). */
export function containsSorted(sorted: Int32Array, start: number, end: number, value: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid];
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * A uniformly drawn item the user has not interacted with (their items are sorted[start, end)).
 * A user who has every item gets a random one: there is no negative to find.
 */
export function sampleNegative(sorted: Int32Array, start: number, end: number, numItems: number, rng: Rng): number {
  let j = rng.int(numItems);
  if (end - start >= numItems) return j;
  while (containsSorted(sorted, start, end, j)) j = rng.int(numItems);
  return j;
}

/** A model's score of item j for user u (higher ranks higher), as a cheap stand-in for sampling. */
export type PairScore = (u: number, j: number) => number;

/**
 * The best-scored of `candidates` uniform negatives for user u (dynamic negative sampling, Zhang,
 * Chen, Wang & Yu, SIGIR 2013): on a large sparse catalogue most uniform negatives are already
 * ranked far below the positives, so their gradient is ~0. One draw, unscored, when `candidates`
 * is 1 or there is no scorer.
 */
export function bestOfNegatives(score: PairScore | null, candidates: number, u: number, sorted: Int32Array, start: number, end: number, numItems: number, rng: Rng): number {
  let best = sampleNegative(sorted, start, end, numItems, rng);
  if (!score || candidates <= 1) return best;
  let bestScore = score(u, best);
  for (let c = 1; c < candidates; c++) {
    const j = sampleNegative(sorted, start, end, numItems, rng);
    const x = score(u, j);
    if (x > bestScore) {
      best = j;
      bestScore = x;
    }
  }
  return best;
}
