/**
 * Beyond-accuracy metrics over the recommendation lists of all users (catalogue level).
 */

/**
 * Per-item best (lowest, 0-based) rank over the lists seen so far, starting at int32 max for
 * "never recommended". Fold lists in with `recordRanks`; one array serves every K.
 */
export function emptyBestRanks(numItems: number): Int32Array {
  return new Int32Array(numItems).fill(0x7fffffff);
}

/** Lowers `bestRank[item]` to the rank of each item in `ranked[0 .. length)`. */
export function recordRanks(bestRank: Int32Array, ranked: Int32Array, length = ranked.length): void {
  for (let i = 0; i < length; i++) {
    const item = ranked[i];
    if (i < bestRank[item]) bestRank[item] = i;
  }
}

/** Coverage@K from best ranks: the share of items whose best rank is < K. */
export function coverageFromBestRanks(bestRank: Int32Array, k: number): number {
  if (bestRank.length === 0) return 0;
  let covered = 0;
  for (let item = 0; item < bestRank.length; item++) if (bestRank[item] < k) covered++;
  return covered / bestRank.length;
}

/**
 * Catalogue coverage@K = |⋃_u topK(u)| / numItems: the share of the catalogue that appears in at
 * least one user's top K.
 * Reference: Ge, Delgado-Battenfeld & Jannach, "Beyond accuracy: evaluating recommender systems
 * by coverage and serendipity", RecSys 2010 (catalog coverage).
 */
export function catalogueCoverage(lists: readonly Int32Array[], numItems: number, k: number): number {
  const bestRank = emptyBestRanks(numItems);
  for (const list of lists) recordRanks(bestRank, list, Math.min(list.length, k));
  return coverageFromBestRanks(bestRank, k);
}
