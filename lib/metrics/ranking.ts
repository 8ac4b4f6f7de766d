/**
 * Top-K ranking metrics for one user, binary relevance. Definitions follow the anchor
 * implementation (/work/shared/refs/ref_ranking.py, `evaluate`) exactly, including its choices
 * where the literature varies: Precision divides by K even when the list is shorter, MAP and the
 * ideal DCG use min(|relevant|, K). A user with no relevant item scores 0 on every metric (the
 * evaluator skips such users).
 *
 * Every metric is a kernel over a user's hit flags (`RankedHits`) so the evaluator can find the
 * hits once per user and read every metric at every K from them; the `...AtK` functions are the
 * same metrics over plain item lists.
 */

/** Which ranks of one user's list hold a relevant item: the shared input of every ranking kernel. */
export interface RankedHits {
  /** flags[i] is 1 when the item at rank i (0-based) is relevant; only i < length is read. */
  flags: Uint8Array;
  /** Length of the ranked list, possibly shorter than K (small catalogue after exclusions). */
  length: number;
  /** Number of distinct relevant items of the user. */
  numRelevant: number;
}

/** A ranking metric over hit flags at cut-off K. */
export type RankingKernel = (hits: RankedHits, k: number) => number;

/** Hit flags of `ranked` (first K ranks) against `relevant` (duplicates counted once). */
export function rankedHits(ranked: Int32Array, relevant: ArrayLike<number>, k: number): RankedHits {
  const relevantSet = new Set<number>(Array.from(relevant));
  const length = Math.min(ranked.length, k);
  const flags = new Uint8Array(length);
  for (let i = 0; i < length; i++) flags[i] = relevantSet.has(ranked[i]) ? 1 : 0;
  return { flags, length, numRelevant: relevantSet.size };
}

function hitCount(h: RankedHits, k: number): number {
  const n = Math.min(h.length, k);
  let hits = 0;
  for (let i = 0; i < n; i++) hits += h.flags[i];
  return hits;
}

const precision: RankingKernel = (h, k) => hitCount(h, k) / k;

const recall: RankingKernel = (h, k) => (h.numRelevant === 0 ? 0 : hitCount(h, k) / h.numRelevant);

const f1: RankingKernel = (h, k) => {
  const p = precision(h, k);
  const r = recall(h, k);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
};

const ndcg: RankingKernel = (h, k) => {
  if (h.numRelevant === 0) return 0;
  const n = Math.min(h.length, k);
  let dcg = 0;
  for (let i = 0; i < n; i++) if (h.flags[i]) dcg += 1 / Math.log2(i + 2);
  const ideal = Math.min(h.numRelevant, k);
  let idcg = 0;
  for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2);
  return dcg / idcg;
};

const map: RankingKernel = (h, k) => {
  if (h.numRelevant === 0) return 0;
  const n = Math.min(h.length, k);
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (h.flags[i]) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / Math.min(h.numRelevant, k);
};

const mrr: RankingKernel = (h, k) => {
  const n = Math.min(h.length, k);
  for (let i = 0; i < n; i++) if (h.flags[i]) return 1 / (i + 1);
  return 0;
};

const hit: RankingKernel = (h, k) => (hitCount(h, k) > 0 ? 1 : 0);

/** The kernel of every ranking metric id in the registry. */
export const RANKING_KERNELS = { precision, recall, f1, map, ndcg, mrr, hit } as const;

/**
 * Precision@K = hits@K / K — K, not the list length, so a short list is not rewarded.
 * Reference: Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), §8.4.
 */
export function precisionAtK(ranked: Int32Array, relevant: ArrayLike<number>, k: number): number {
  return precision(rankedHits(ranked, relevant, k), k);
}

/**
 * Recall@K = hits@K / |relevant|.
 * Reference: Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), §8.4.
 */
export function recallAtK(ranked: Int32Array, relevant: ArrayLike<number>, k: number): number {
  return recall(rankedHits(ranked, relevant, k), k);
}

/**
 * F1@K = 2·P·R / (P + R) with P = Precision@K, R = Recall@K; 0 when both are 0.
 * Reference: van Rijsbergen, Information Retrieval, 2nd ed. (1979), ch. 7.
 */
export function f1AtK(ranked: Int32Array, relevant: ArrayLike<number>, k: number): number {
  return f1(rankedHits(ranked, relevant, k), k);
}

/**
 * NDCG@K = Σ_{i<K} hit_i / log2(i+2)  /  Σ_{i<min(|relevant|,K)} 1 / log2(i+2)  (ranks i 0-based).
 * Reference: Järvelin & Kekäläinen, "Cumulated gain-based evaluation of IR techniques",
 * ACM TOIS 20(4), 2002.
 */
export function ndcgAtK(ranked: Int32Array, relevant: ArrayLike<number>, k: number): number {
  return ndcg(rankedHits(ranked, relevant, k), k);
}

/**
 * MAP@K (per user: AP@K) = Σ_{i<K} (hits in ranks 0..i) / (i+1) · hit_i  /  min(|relevant|, K).
 * Reference: Manning, Raghavan & Schütze (2008), §8.4; the min(|relevant|, K) normaliser as in
 * RecBole's MAP@K (Zhao et al., "RecBole", CIKM 2021).
 */
export function mapAtK(ranked: Int32Array, relevant: ArrayLike<number>, k: number): number {
  return map(rankedHits(ranked, relevant, k), k);
}

/**
 * MRR@K (per user: RR@K) = 1 / (1-based rank of the first hit within the top K), 0 without a hit.
 * Reference: Voorhees, "The TREC-8 Question Answering Track Report", TREC 1999.
 */
export function mrrAtK(ranked: Int32Array, relevant: ArrayLike<number>, k: number): number {
  return mrr(rankedHits(ranked, relevant, k), k);
}

/**
 * HitRate@K = 1 if any relevant item is in the top K, else 0.
 * Reference: Deshpande & Karypis, "Item-based top-N recommendation algorithms", ACM TOIS 22(1), 2004.
 */
export function hitRateAtK(ranked: Int32Array, relevant: ArrayLike<number>, k: number): number {
  return hit(rankedHits(ranked, relevant, k), k);
}
