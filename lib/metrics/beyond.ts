/**
 * Beyond-accuracy metrics: catalogue-level ones over exposure counts (how many top-K lists hold
 * each item) and per-list ones over one user's top-K list. Definitions follow the anchor
 * implementation (/work/shared/refs/ref_beyond.py, README "Beyond-accuracy and fairness
 * definitions") exactly. Every function is pure over typed arrays; the evaluator averages the
 * per-list values over users, leaving out users for whom a value is undefined (NaN). The one home
 * of popularity, short head / long tail, item categories and the calibration KL: lib/fairness's
 * re-rankers build on these.
 */

import type { Csr } from "../datasets/types";
import { nativeLinalg } from "../models/linalg/native-kernel";

// ---------------------------------------------------------------------------------------------
// Catalogue level: exposure c_i = number of top-K lists holding item i.

/** Exposure counts c_i over the first K items of every list (zeros included, length numItems). */
export function exposureCounts(lists: readonly Int32Array[], numItems: number, k: number): Float64Array {
  const counts = new Float64Array(numItems);
  for (const list of lists) for (let i = 0, n = Math.min(list.length, k); i < n; i++) counts[list[i]]++;
  return counts;
}

/**
 * Catalogue coverage = |{i : c_i > 0}| / #items: the share of the catalogue in at least one
 * user's top K. 0 for an empty catalogue.
 * Reference: Ge, Delgado-Battenfeld & Jannach, "Beyond accuracy: evaluating recommender systems
 * by coverage and serendipity", RecSys 2010 (catalog coverage).
 */
export function coverage(exposure: ArrayLike<number>): number {
  let covered = 0;
  for (let i = 0; i < exposure.length; i++) if (exposure[i] > 0) covered++;
  return exposure.length === 0 ? 0 : covered / exposure.length;
}

/** Catalogue coverage@K of `lists` over `numItems` items (see `coverage`). */
export function catalogueCoverage(lists: readonly Int32Array[], numItems: number, k: number): number {
  return coverage(exposureCounts(lists, numItems, k));
}

function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

/**
 * Gini index of exposure = Σ_i (2i − n − 1)·c_(i) / (n·Σ c), c sorted ascending, i 1-based,
 * n = #items (unexposed items included): 0 when every item is shown equally, → 1 when a few
 * items take all exposure. NaN without exposure.
 * Reference: Fleder & Hosanagar, "Blockbuster culture's next rise or fall", Management Science
 * 55(5), 2009; as in Elliot's Gini (Anelli et al., SIGIR 2021).
 */
export function giniIndex(exposure: ArrayLike<number>): number {
  const n = exposure.length;
  const sum = total(exposure);
  if (n === 0 || sum === 0) return NaN;
  const sorted = Float64Array.from(exposure).sort();
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * sorted[i];
  return weighted / (n * sum);
}

/**
 * Shannon entropy of exposure, in bits = −Σ_i p_i log2 p_i with p_i = c_i / Σ c (0·log 0 = 0):
 * log2(#items) when exposure is uniform, 0 when one item takes it all. NaN without exposure.
 * Reference: Shannon 1948; as the diversity measure of Adomavicius & Kwon, "Improving aggregate
 * recommendation diversity using ranking-based techniques", IEEE TKDE 24(5), 2012.
 */
export function exposureEntropyBits(exposure: ArrayLike<number>): number {
  const sum = total(exposure);
  if (sum === 0) return NaN;
  let h = 0;
  for (let i = 0; i < exposure.length; i++) {
    if (exposure[i] > 0) {
      const p = exposure[i] / sum;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

/**
 * Head exposure share = Σ_{i∈head} c_i / Σ_i c_i: how much of all exposure goes to the short
 * head (see `shortHead`). NaN without exposure.
 * Reference: Abdollahpouri, Burke & Mobasher, "Managing popularity bias in recommender systems
 * with personalized re-ranking", FLAIRS 2019.
 */
export function headExposureShare(exposure: ArrayLike<number>, head: Uint8Array): number {
  let inHead = 0;
  let sum = 0;
  for (let i = 0; i < exposure.length; i++) {
    sum += exposure[i];
    if (head[i]) inHead += exposure[i];
  }
  return sum === 0 ? NaN : inHead / sum;
}

// ---------------------------------------------------------------------------------------------
// Popularity: pop(i) = training interactions of item i.

/** pop(i): training interactions (stored entries, whatever their values) of every item. */
export function itemPopularity(train: Csr): Float64Array {
  const pop = new Float64Array(train.numCols);
  const end = train.indptr[train.numRows];
  for (let p = 0; p < end; p++) pop[train.indices[p]]++;
  return pop;
}

/**
 * Items by popularity descending; ties go to the lower `tieRank` (default: the lower item index).
 * The order of the short head and of the Popularity "primitive" lists of serendipity.
 */
export function popularityOrder(popularity: ArrayLike<number>, tieRank?: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: popularity.length }, (_, i) => i);
  const rank = tieRank ?? order;
  return order.sort((a, b) => popularity[b] - popularity[a] || rank[a] - rank[b] || a - b);
}

/**
 * Short-head flags (1 = head): the shortest prefix of `order` (popularity descending) holding at
 * least `share` of all interactions; every other item is long tail. Empty when there are none.
 * Reference: Abdollahpouri, Burke & Mobasher, FLAIRS 2019 (short head = top 20% of ratings).
 */
export function shortHead(popularity: ArrayLike<number>, order: Int32Array, share = 0.2): Uint8Array {
  const head = new Uint8Array(popularity.length);
  const target = share * total(popularity);
  let cumulative = 0;
  for (let r = 0; r < order.length && target > 0 && cumulative < target; r++) {
    head[order[r]] = 1;
    cumulative += popularity[order[r]];
  }
  return head;
}

/**
 * Long-tail flags (1 = tail): the complement of `shortHead` over the popularity order with ties
 * to the lower item index. No interactions at all: every item is tail.
 */
export function longTail(popularity: ArrayLike<number>, share = 0.2): Uint8Array {
  const head = shortHead(popularity, popularityOrder(popularity), share);
  for (let i = 0; i < head.length; i++) head[i] ^= 1;
  return head;
}

// ---------------------------------------------------------------------------------------------
// One list: `list[0 .. length)` is a user's top-K (length ≤ K; shorter when few items remain).

/**
 * ARP (average recommendation popularity) of one list = Σ_{i∈L} pop(i) / |L|. NaN for an empty
 * list. Lower means less popularity bias.
 * Reference: Abdollahpouri, Burke & Mobasher, "Controlling popularity bias in learning to rank
 * recommendation", RecSys 2017; as in Elliot (Anelli et al., SIGIR 2021).
 */
export function averagePopularity(list: Int32Array, length: number, popularity: ArrayLike<number>): number {
  if (length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += popularity[list[i]];
  return sum / length;
}

/**
 * APLT (average percentage of long tail) of one list = |L ∩ tail| / K — K, not |L|, as for
 * Precision.
 * Reference: Abdollahpouri, Burke & Mobasher, RecSys 2017.
 */
export function longTailShare(list: Int32Array, length: number, k: number, head: Uint8Array): number {
  let tail = 0;
  for (let i = 0; i < length; i++) if (!head[list[i]]) tail++;
  return tail / k;
}

/**
 * Novelty of one list, in bits = Σ_{i∈L} −log2(max(pop(i), 1) / #users) / |L| (self-information
 * of being interacted with; never-seen items count as seen once). NaN for an empty list.
 * Reference: Zhou et al., "Solving the apparent diversity-accuracy dilemma of recommender
 * systems", PNAS 107(10), 2010.
 */
export function noveltyBits(list: Int32Array, length: number, popularity: ArrayLike<number>, numUsers: number): number {
  if (length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < length; i++) sum -= Math.log2(Math.max(popularity[list[i]], 1) / numUsers);
  return sum / length;
}

/**
 * Item categories as sparse rows: the categories of item i are indices[indptr[i] .. indptr[i+1]),
 * ascending and distinct. Build them with `itemCategories`.
 */
export interface ItemCategories {
  numCategories: number;
  indptr: Int32Array;
  indices: Int32Array;
}

/** Name of the category given to items that have none (MovieLens' "unknown" genre). */
export const NO_CATEGORY = "(none)";

/**
 * Category rows of `numItems` items from per-item names (e.g. Dataset.items.genres), categories
 * numbered in first-seen order. An item with no category gets one of its own, NO_CATEGORY, as
 * MovieLens 100K's "unknown" flag does, so it keeps its place in diversity and calibration;
 * with `noneCategory: false` it keeps an empty row (the re-rankers' convention). Null when no
 * item has a category: the category-based metrics are then absent.
 */
export function itemCategories(
  names: readonly (readonly string[] | null | undefined)[],
  numItems: number,
  { noneCategory = true }: { noneCategory?: boolean } = {},
): ItemCategories | null {
  const ids = new Map<string, number>();
  const rows: number[][] = [];
  for (let i = 0; i < numItems; i++) {
    const row = [...new Set(names[i] ?? [])].map((name) => ids.get(name) ?? (ids.set(name, ids.size), ids.size - 1));
    rows.push(row.sort((a, b) => a - b));
  }
  if (ids.size === 0) return null;
  let none = -1;
  const indptr = new Int32Array(numItems + 1);
  const indices: number[] = [];
  for (let i = 0; i < numItems; i++) {
    if (rows[i].length === 0 && noneCategory) {
      if (none < 0) none = ids.size;
      indices.push(none);
    } else indices.push(...rows[i]);
    indptr[i + 1] = indices.length;
  }
  return { numCategories: ids.size + (none < 0 ? 0 : 1), indptr, indices: Int32Array.from(indices) };
}

/**
 * |C_a ∩ C_b| of two ascending rows: a merge when their lengths are alike, else every entry of
 * the shorter row is searched (galloping) in the longer one, O(short · log(long / short)) —
 * rows of popular items' training users are a thousand times longer than a tail item's.
 */
function sharedCategories(c: ItemCategories, a: number, b: number): number {
  const { indptr, indices } = c;
  let p = indptr[a], pe = indptr[a + 1], q = indptr[b], qe = indptr[b + 1];
  if (pe - p > qe - q) [p, pe, q, qe] = [q, qe, p, pe];
  let shared = 0;
  if (qe - q < 8 * (pe - p)) {
    while (p < pe && q < qe) {
      const x = indices[p], y = indices[q];
      if (x === y) shared++, p++, q++;
      else if (x < y) p++;
      else q++;
    }
    return shared;
  }
  for (; p < pe && q < qe; p++) {
    const x = indices[p];
    // First position >= x in [q, qe): double the step until past x, then bisect.
    let lo = q, hi = q;
    for (let step = 1; hi < qe && indices[hi] < x; step *= 2) (lo = hi + 1), (hi += step);
    if (hi > qe) hi = qe;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (indices[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    q = lo;
    if (q < qe && indices[q] === x) shared++, q++;
  }
  return shared;
}

/** Rows shorter than this are intersected every time; longer pairs are remembered (see pairCounts). */
const REMEMBERED_MIN_ROW = 256;
const MAX_REMEMBERED_PAIRS = 2_000_000;
/**
 * Shared-entry counts of long row pairs per vector set. Over training-user vectors the same
 * popular pairs recur in most users' lists (Popularity's lists are nearly one list), and each
 * costs tens of thousands of steps at MovieLens-20M scale: counted once per evaluation thread.
 */
const pairCounts = new WeakMap<ItemCategories, Map<number, number>>();

function sharedEntries(c: ItemCategories, a: number, b: number): number {
  if (Math.min(c.indptr[a + 1] - c.indptr[a], c.indptr[b + 1] - c.indptr[b]) < REMEMBERED_MIN_ROW) return sharedCategories(c, a, b);
  let known = pairCounts.get(c);
  if (!known) pairCounts.set(c, (known = new Map()));
  const n = c.indptr.length - 1;
  const key = a < b ? a * n + b : b * n + a;
  let shared = known.get(key);
  if (shared === undefined) {
    shared = sharedCategories(c, a, b);
    if (known.size < MAX_REMEMBERED_PAIRS) known.set(key, shared);
  }
  return shared;
}

/**
 * Intra-list diversity of one list over item categories = mean over the |L|(|L|−1)/2 pairs of
 * 1 − cos(g_a, g_b), g the binary category vectors (cos = |C_a ∩ C_b| / √(|C_a|·|C_b|)); any
 * binary item vectors work the same way (beyond-context passes the items' training users when
 * the dataset has no categories). An empty vector counts as similar to nothing. NaN for a list
 * of fewer than two items.
 * Reference: Ziegler et al., "Improving recommendation lists through topic diversification",
 * WWW 2005.
 */
export function intraListDiversity(list: Int32Array, length: number, categories: ItemCategories): number {
  if (length < 2) return NaN;
  const { indptr } = categories;
  let sum = 0;
  for (let a = 0; a < length; a++) {
    const ia = list[a];
    const na = indptr[ia + 1] - indptr[ia];
    for (let b = a + 1; b < length; b++) {
      const ib = list[b];
      const norms = na * (indptr[ib + 1] - indptr[ib]);
      // An item with an empty vector (no training users) is similar to nothing.
      sum += norms === 0 ? 1 : 1 - sharedEntries(categories, ia, ib) / Math.sqrt(norms);
    }
  }
  return sum / ((length * (length - 1)) / 2);
}

/** Steck (2018)'s α: KL(p ‖ (1 − α)·q + α·p) stays finite when q misses a category of p. */
export const CALIBRATION_ALPHA = 0.01;

/** One category's term of Steck's calibration KL: p·ln(p / ((1 − α)·q + α·p)), for p > 0. */
export function calibrationKlTerm(p: number, q: number, alpha = CALIBRATION_ALPHA): number {
  return p * Math.log(p / ((1 - alpha) * q + alpha * p));
}

// Scratch of `miscalibration`, indexed by category (JavaScript is single-threaded); grown, never shrunk.
let historyShare = new Float64Array(0);
let listShare = new Float64Array(0);

/** Adds p(g|i) = 1/|C_i| for every category g of every item in items[0 .. length) into `into`. */
function addCategoryShares(into: Float64Array, items: ArrayLike<number>, length: number, c: ItemCategories): void {
  for (let j = 0; j < length; j++) {
    const i = items[j];
    const start = c.indptr[i], end = c.indptr[i + 1];
    for (let p = start; p < end; p++) into[c.indices[p]] += 1 / (end - start);
  }
}

/**
 * Miscalibration of one list (Steck's calibration KL, natural log) =
 * Σ_{g: p_u(g) > 0} p_u(g) · ln(p_u(g) / ((1−α)·q_u(g) + α·p_u(g))), where p(g|i) = 1/|C_i| for
 * each category of i, p_u = mean of p(·|i) over the user's training items `history`, q_u = mean
 * over the list, α = 0.01. 0 when the list's category mix equals the history's; NaN for an
 * empty list or history.
 * Reference: Steck, "Calibrated recommendations", RecSys 2018.
 */
export function miscalibration(list: Int32Array, length: number, history: ArrayLike<number>, categories: ItemCategories, alpha = CALIBRATION_ALPHA): number {
  if (length === 0 || history.length === 0) return NaN;
  if (historyShare.length < categories.numCategories) {
    historyShare = new Float64Array(categories.numCategories);
    listShare = new Float64Array(categories.numCategories);
  }
  addCategoryShares(historyShare, history, history.length, categories);
  addCategoryShares(listShare, list, length, categories);
  let kl = 0;
  const { indptr, indices } = categories;
  // Each touched category is read once, then zeroed (the scratch is clean again on return).
  for (let j = 0; j < history.length; j++) {
    const i = history[j];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const g = indices[p];
      const pu = historyShare[g] / history.length;
      if (pu > 0) kl += calibrationKlTerm(pu, listShare[g] / length, alpha);
      historyShare[g] = 0;
    }
  }
  for (let j = 0; j < length; j++) {
    const i = list[j];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) listShare[indices[p]] = 0;
  }
  return kl;
}

/**
 * Serendipity of one list = |{i ∈ L : i relevant, i ∉ PM}| / K: hits that a primitive
 * recommender (Popularity's top K for the same user, same masking) would not have made.
 * `relevant[r]` is 1 when the item at rank r is relevant; `primitiveRank[r]` is that item's
 * 0-based rank in the primitive list (≥ K, e.g. int32 max, when absent).
 * Reference: Ge, Delgado-Battenfeld & Jannach, RecSys 2010; Murakami et al., "Metrics for
 * evaluating the serendipity of recommendation lists", JSAI 2007 (primitive model).
 */
export function serendipity(relevant: Uint8Array, primitiveRank: Int32Array, length: number, k: number): number {
  let unexpectedHits = 0;
  for (let r = 0, n = Math.min(length, k); r < n; r++) if (relevant[r] && primitiveRank[r] >= k) unexpectedHits++;
  return unexpectedHits / k;
}

// Scratch of `auc`: the positive items, then their scores ascending.
let positiveItems = new Int32Array(64);
let positiveScores = new Float64Array(64);

/**
 * AUC of one user's full ranking = share of (positive p, negative n) pairs with s_p > s_n, ties
 * counting 1/2, over the unmasked items of `scores[offset .. offset + length)` (masked = −∞ or
 * NaN): positives are the distinct unmasked items of `positives`, negatives every other unmasked
 * item. NaN when there is no positive or no negative.
 * Computed without marking positives: with A = Σ_p Σ_{x unmasked} ([s_p > s_x] + ½[s_p = s_x]),
 * the positive–positive pairs add exactly P²/2, so AUC = (A − P²/2) / (P·N).
 * Reference: Rendle et al., "BPR: Bayesian personalized ranking from implicit feedback", UAI 2009
 * (per-user AUC); Fawcett, "An introduction to ROC analysis", 2006 (ties).
 */
export function auc(scores: Float32Array, offset: number, length: number, positives: ArrayLike<number>): number {
  // The same value from the addon when built (native/linalg/eval-kernels.h), for Int32Array positives.
  const native = nativeLinalg()?.addon.auc_f32;
  return native && positives instanceof Int32Array ? native(scores, offset, length, positives) : aucJs(scores, offset, length, positives);
}

/** `auc` in JavaScript (the path without the addon, and the reference of its auc_f32). */
export function aucJs(scores: Float32Array, offset: number, length: number, positives: ArrayLike<number>): number {
  if (positiveItems.length < positives.length) {
    positiveItems = new Int32Array(positives.length);
    positiveScores = new Float64Array(positives.length);
  }
  const items = positiveItems.subarray(0, positives.length);
  for (let j = 0; j < positives.length; j++) items[j] = positives[j];
  items.sort();
  let numPositive = 0;
  for (let j = 0; j < items.length; j++) {
    const s = scores[offset + items[j]];
    if ((j === 0 || items[j] !== items[j - 1]) && s !== -Infinity && s === s) positiveScores[numPositive++] = s;
  }
  const sorted = positiveScores.subarray(0, numPositive).sort();
  const lowest = numPositive > 0 ? sorted[0] : Infinity;
  const highest = numPositive > 0 ? sorted[numPositive - 1] : -Infinity;
  let unmasked = 0;
  let pairs = 0;
  for (let item = 0; item < length; item++) {
    const s = scores[offset + item];
    if (s === -Infinity || s !== s) continue;
    unmasked++;
    // Positives above s count 1, equal to s count 1/2. Most items of a useful ranking lie below
    // every positive (or above all of them), so the search is skipped for those.
    if (s < lowest) pairs += numPositive;
    else if (s <= highest) pairs += positivesAbove(sorted, s);
  }
  const numNegative = unmasked - numPositive;
  if (numPositive === 0 || numNegative === 0) return NaN;
  return (pairs - (numPositive * numPositive) / 2) / (numPositive * numNegative);
}

/** #{p > s} + ½·#{p = s} over the ascending `sorted`: one binary search for the first p ≥ s. */
function positivesAbove(sorted: Float64Array, s: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  let equal = 0;
  while (lo + equal < sorted.length && sorted[lo + equal] === s) equal++;
  return sorted.length - lo - equal / 2;
}
