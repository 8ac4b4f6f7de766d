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
