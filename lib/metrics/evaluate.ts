import type { Csr } from "../datasets/types";
import { badInput } from "../errors";
import { coverageFromBestRanks, emptyBestRanks, recordRanks } from "./beyond";
import { RANKING_KERNELS, type RankedHits, type RankingKernel } from "./ranking";
import { mae, mse } from "./rating";
import { getMetricOrThrow, metricKey, RANKING_METRIC_IDS } from "./registry";
import { topK } from "./top-k";

/**
 * The evaluator: full ranking over all items for a set of users, with masking of seen items,
 * batching and every metric at every K computed from one top-max(K) selection per user. Also
 * rating-prediction error for explicit-feedback models. Protocol and metric definitions match
 * /work/shared/refs/ref_ranking.py (`evaluate`).
 */

/** Writes users.length * numItems scores, row-major, into `out`. Higher is better. */
export type Scorer = (users: Int32Array, out: Float32Array) => void;

export interface RankingEvalOptions {
  numItems: number;
  /** Relevant items per user (rows = users). Users with no relevant item are skipped. */
  truth: Csr;
  /** Items to mask per user (training; plus validation when scoring test). */
  exclude: Csr[];
  /** Cut-offs; default [5, 10, 20]. */
  ks?: number[];
  /** Metric ids; default every ranking id plus "coverage". */
  metrics?: string[];
  /** Users per score() call; default 256. */
  batchSize?: number;
  /** Restrict to these users (default: every user with >= 1 relevant item). */
  users?: Int32Array;
}

export interface RankingEvalResult {
  /** Mean over evaluated users, e.g. "ndcg@10"; coverage is catalogue-level. NaN with no users. */
  summary: Record<string, number>;
  /** Per-user values (not coverage), same order as `users`. */
  perUser: { users: Int32Array; values: Record<string, Float32Array> };
  /** Users evaluated. */
  numUsers: number;
  /** Wall time including the scorer's. */
  seconds: number;
}

export const DEFAULT_KS: readonly number[] = [5, 10, 20];
export const DEFAULT_RANKING_METRICS: readonly string[] = [...RANKING_METRIC_IDS, "coverage"];

/** Users of `candidates` (default: all rows) that have at least one relevant item, in order. */
function usersWithTruth(truth: Csr, candidates: Int32Array | undefined): Int32Array {
  const rows = candidates ?? Int32Array.from({ length: truth.numRows }, (_, u) => u);
  return rows.filter((u) => u >= 0 && u < truth.numRows && truth.indptr[u + 1] > truth.indptr[u]);
}

function checkOptions(o: RankingEvalOptions, ks: readonly number[], metrics: readonly string[], batchSize: number): void {
  if (!Number.isInteger(o.numItems) || o.numItems < 1) throw badInput(`numItems must be a positive integer, got ${o.numItems}`);
  if (o.truth.numCols !== o.numItems) throw badInput(`truth has ${o.truth.numCols} columns for ${o.numItems} items`);
  for (const m of o.exclude) {
    if (m.numCols !== o.numItems) throw badInput(`an exclusion matrix has ${m.numCols} columns for ${o.numItems} items`);
  }
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw badInput(`ks must be positive integers, got [${ks.join(", ")}]`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw badInput(`batchSize must be a positive integer, got ${batchSize}`);
  for (const id of metrics) {
    const def = getMetricOrThrow(id);
    if (id !== "coverage" && !Object.hasOwn(RANKING_KERNELS, id)) {
      throw badInput(`"${def.displayName}" is a ${def.kind} metric, not computed by ranking evaluation`, { id });
    }
  }
}

/**
 * Ranks all items for each evaluated user (scores from `score`, excluded items masked to
 * -Infinity, ties to the lower item index) and computes every metric at every K against `truth`.
 * Buffers are allocated once (one batchSize × numItems score block); relevant items are found
 * with a per-item marker array, so a user costs O(numItems + maxK log maxK + |truth|).
 */
export function evaluateRanking(score: Scorer, options: RankingEvalOptions): RankingEvalResult {
  const started = performance.now();
  const ks = [...new Set(options.ks ?? DEFAULT_KS)].sort((a, b) => a - b);
  const metricIds = [...new Set(options.metrics ?? DEFAULT_RANKING_METRICS)];
  const batchSize = options.batchSize ?? 256;
  checkOptions(options, ks, metricIds, batchSize);

  const { numItems, truth, exclude } = options;
  const users = usersWithTruth(truth, options.users);
  const numUsers = users.length;
  const maxK = ks[ks.length - 1];

  // One column per (ranking metric, K), in metric-then-K order.
  const columns: { key: string; kernel: RankingKernel; k: number; values: Float32Array; sum: number }[] = [];
  for (const id of metricIds) {
    if (id === "coverage") continue;
    const kernel = RANKING_KERNELS[id as keyof typeof RANKING_KERNELS];
    for (const k of ks) columns.push({ key: metricKey(id, k), kernel, k, values: new Float32Array(numUsers), sum: 0 });
  }
  const wantCoverage = metricIds.includes("coverage");

  const scores = new Float32Array(Math.min(batchSize, Math.max(numUsers, 1)) * numItems);
  const top = new Int32Array(maxK);
  const hits: RankedHits = { flags: new Uint8Array(maxK), length: 0, numRelevant: 0 };
  const marker = new Int32Array(numItems).fill(-1); // marker[item] === j: item is relevant to users[j]
  const bestRank = wantCoverage ? emptyBestRanks(numItems) : null;

  for (let start = 0; start < numUsers; start += batchSize) {
    const batch = users.subarray(start, Math.min(numUsers, start + batchSize));
    score(batch, scores);
    for (let r = 0; r < batch.length; r++) {
      const u = batch[r];
      const j = start + r;
      const base = r * numItems;
      for (const m of exclude) {
        if (u >= m.numRows) continue;
        for (let p = m.indptr[u], end = m.indptr[u + 1]; p < end; p++) scores[base + m.indices[p]] = -Infinity;
      }
      const length = topK(scores, base, numItems, maxK, top);

      let numRelevant = 0;
      for (let p = truth.indptr[u], end = truth.indptr[u + 1]; p < end; p++) {
        const item = truth.indices[p];
        if (marker[item] !== j) {
          marker[item] = j;
          numRelevant++;
        }
      }
      for (let i = 0; i < length; i++) hits.flags[i] = marker[top[i]] === j ? 1 : 0;
      hits.length = length;
      hits.numRelevant = numRelevant;

      for (const c of columns) {
        const v = c.kernel(hits, c.k);
        c.values[j] = v;
        c.sum += v;
      }
      if (bestRank) recordRanks(bestRank, top, length);
    }
  }

  const summary: Record<string, number> = {};
  const values: Record<string, Float32Array> = {};
  for (const c of columns) {
    summary[c.key] = numUsers === 0 ? NaN : c.sum / numUsers;
    values[c.key] = c.values;
  }
  if (bestRank) for (const k of ks) summary[metricKey("coverage", k)] = coverageFromBestRanks(bestRank, k);

  return {
    summary,
    perUser: { users, values },
    numUsers,
    seconds: (performance.now() - started) / 1000,
  };
}

export interface RatingEvalResult {
  /** NaN when there are no rows. */
  summary: { mae: number; mse: number; rmse: number };
  count: number;
}

/**
 * Rating-prediction error of `predict` on `rows` (typically the test rows of an explicit
 * dataset). With `clamp`, predictions are first clipped to the rating scale, as is usual for
 * biased MF (Koren, Bell & Volinsky 2009).
 */
export function evaluateRating(
  predict: (users: Int32Array, items: Int32Array) => Float32Array,
  rows: { users: Int32Array; items: Int32Array; ratings: Float32Array },
  clamp?: { min: number; max: number },
): RatingEvalResult {
  const count = rows.ratings.length;
  if (rows.users.length !== count || rows.items.length !== count) {
    throw badInput(`rating rows disagree in length: ${rows.users.length} users, ${rows.items.length} items, ${count} ratings`);
  }
  const raw = predict(rows.users, rows.items);
  if (raw.length !== count) throw badInput(`predict returned ${raw.length} values for ${count} rows`);
  let predicted = raw;
  if (clamp) {
    predicted = new Float32Array(count);
    for (let j = 0; j < count; j++) predicted[j] = Math.min(clamp.max, Math.max(clamp.min, raw[j]));
  }
  const meanSquared = mse(predicted, rows.ratings);
  return { summary: { mae: mae(predicted, rows.ratings), mse: meanSquared, rmse: Math.sqrt(meanSquared) }, count };
}
