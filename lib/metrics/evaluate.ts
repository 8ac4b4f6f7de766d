import type { Csr } from "../datasets/types";
import { badInput } from "../errors";
import {
  auc,
  averagePopularity,
  coverage,
  exposureEntropyBits,
  giniIndex,
  headExposureShare,
  intraListDiversity,
  longTailShare,
  miscalibration,
  noveltyBits,
  serendipity,
} from "./beyond";
import type { BeyondContext } from "./beyond-context";
import { RANKING_KERNELS, type RankedHits, type RankingKernel } from "./ranking";
import { mae, mse } from "./rating";
import { BEYOND_METRIC_IDS, getMetricOrThrow, metricKey, RANKING_METRIC_IDS } from "./registry";
import { topK } from "./top-k";

/**
 * The evaluator: full ranking over all items for a set of users, with masking of seen items,
 * batching and every metric at every K computed from one top-max(K) selection per user. Also
 * rating-prediction error for explicit-feedback models. Protocol and metric definitions match
 * /work/shared/refs/ref_ranking.py (`evaluate`) and, for beyond-accuracy metrics, ref_beyond.py.
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
  /**
   * Metric ids; default every ranking id, "auc" and "coverage", plus every other beyond-accuracy
   * id when `beyond` is given.
   */
  metrics?: string[];
  /** Popularity, head, histories and categories for beyond-accuracy metrics other than coverage. */
  beyond?: BeyondContext;
  /** Users per score() call; default 256. */
  batchSize?: number;
  /** Restrict to these users (default: every user with >= 1 relevant item). */
  users?: Int32Array;
  /** Also return every user's top-max(K) list (bias reports read exposure from them). */
  keepLists?: boolean;
  /**
   * Also return every user's top-`candidates` items with their scores (the re-ranking candidates),
   * from the same scoring pass: a second pass over every user costs as much as the evaluation.
   */
  candidates?: number;
}

export interface RankingEvalResult {
  /**
   * Mean over evaluated users, e.g. "ndcg@10"; coverage, gini, entropy and head-exposure are
   * catalogue-level. Per-list metrics that are undefined for a user (AUC without negatives, ILD
   * of a one-item list, ...) average over the other users. NaN with no users.
   */
  summary: Record<string, number>;
  /** Per-user values of the accuracy metrics (AUC included), same order as `users`; NaN where undefined. */
  perUser: { users: Int32Array; values: Record<string, Float32Array> };
  /** Requested metrics left out, with the reason, e.g. { ild: "the items have no categories" }. */
  absent?: Record<string, string>;
  /** Users evaluated. */
  numUsers: number;
  /** With `keepLists`: row j holds users[j]'s top-max(K) items, max(K) per row, -1 past a short list. */
  lists?: { k: number; items: Int32Array };
  /** With `candidates`: users[j]'s first counts[j] candidates and scores in row j of `size` slots. */
  candidates?: RankedCandidates;
  /** Wall time including the scorer's. */
  seconds: number;
}

/** Each user's best items with their scores, `size` slots per user (row j belongs to users[j]). */
export interface RankedCandidates {
  size: number;
  counts: Int32Array;
  items: Int32Array;
  scores: Float32Array;
}

export const DEFAULT_KS: readonly number[] = [5, 10, 20];
export const DEFAULT_RANKING_METRICS: readonly string[] = [...RANKING_METRIC_IDS, "auc", "coverage"];

/** Catalogue-level beyond-accuracy metrics: one value from the exposure counts at each K. */
const CATALOGUE_METRICS: Record<string, (exposure: Float64Array, context?: BeyondContext) => number> = {
  coverage: (c) => coverage(c),
  gini: (c) => giniIndex(c),
  entropy: (c) => exposureEntropyBits(c),
  "head-exposure": (c, ctx) => headExposureShare(c, ctx!.head),
};

/** One user's top-K list as the per-list beyond-accuracy metrics read it. */
interface ListView {
  list: Int32Array;
  /** Length of the whole list (≤ max K). */
  length: number;
  /** relevant[r] = 1 when the item at rank r is relevant. */
  relevant: Uint8Array;
  /** Rank of the item at rank r in Popularity's list for the user (int32 max when absent). */
  primitiveRank: Int32Array;
  /** The user's training items. */
  history: Int32Array;
}

type ListKernel = (v: ListView, k: number, ctx: BeyondContext) => number;

const LIST_METRICS: Record<string, ListKernel> = {
  arp: (v, k, ctx) => averagePopularity(v.list, Math.min(v.length, k), ctx.popularity),
  aplt: (v, k, ctx) => longTailShare(v.list, Math.min(v.length, k), k, ctx.head),
  novelty: (v, k, ctx) => noveltyBits(v.list, Math.min(v.length, k), ctx.popularity, ctx.numUsers),
  ild: (v, k, ctx) => intraListDiversity(v.list, Math.min(v.length, k), ctx.diversityVectors),
  miscalibration: (v, k, ctx) => miscalibration(v.list, Math.min(v.length, k), v.history, ctx.categories!),
  serendipity: (v, k) => serendipity(v.relevant, v.primitiveRank, v.length, k),
};

const NEEDS_CATEGORIES = new Set(["miscalibration"]);

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
    if (def.kind === "rating") throw badInput(`"${def.displayName}" is a ${def.kind} metric, not computed by ranking evaluation`, { id });
    if (def.kind === "beyond" && id !== "coverage" && !o.beyond) {
      throw badInput(`"${def.displayName}" needs the training popularity and item categories (options.beyond)`, { id });
    }
  }
}

/** What one evaluation computes: the users, cut-offs and metric columns, fixed before any scoring. */
export interface RankingPlan {
  ks: number[];
  maxK: number;
  metricIds: string[];
  absent: Record<string, string>;
  /** Users evaluated, in order (every user with truth, or the requested ones). */
  users: Int32Array;
  /** Accuracy columns (metric, K) with per-user values, in metric-then-K order. */
  ranking: { key: string; id: string; k: number }[];
  /** Per-list beyond-accuracy columns (averaged over users where defined). */
  list: { key: string; id: string; k: number }[];
  /** Catalogue-level columns (from exposure counts at K). */
  catalogue: { key: string; id: string; k: number }[];
  auc: boolean;
  /** Whether exposure counts per K are needed. */
  exposure: boolean;
  batchSize: number;
}

/**
 * One contiguous block of the plan's users, scored: per-user values of every column (float64,
 * NaN where undefined), exposure counts per K and, with keepLists, the top-max(K) lists. Blocks
 * are independent, so they can be scored on several threads (./parallel-evaluate.ts) and combined
 * with combineRankingBlocks into exactly what one pass gives.
 */
export interface RankingBlock {
  /** Index of the block's first user in plan.users. */
  start: number;
  numUsers: number;
  /** Column key -> per-user values; "auc" for AUC. */
  values: Record<string, Float64Array>;
  /** exposure[x][item]: lists of this block holding the item within their first ks[x] ranks. */
  exposure: Float64Array[];
  lists?: Int32Array;
  candidates?: RankedCandidates;
}

/** Validates the options and fixes what the evaluation computes (no scoring yet). */
export function planRanking(options: RankingEvalOptions): RankingPlan {
  const ks = [...new Set(options.ks ?? DEFAULT_KS)].sort((a, b) => a - b);
  const defaults = options.beyond ? [...DEFAULT_RANKING_METRICS, ...BEYOND_METRIC_IDS] : DEFAULT_RANKING_METRICS;
  const batchSize = options.batchSize ?? 256;
  checkOptions(options, ks, options.metrics ?? defaults, batchSize);
  const absent: Record<string, string> = {};
  const metricIds = [...new Set(options.metrics ?? defaults)].filter((id) => {
    if (!NEEDS_CATEGORIES.has(id) || options.beyond?.categories) return true;
    absent[id] = "the items have no categories";
    return false;
  });
  const plan: RankingPlan = {
    ks,
    maxK: ks[ks.length - 1],
    metricIds,
    absent,
    users: usersWithTruth(options.truth, options.users),
    ranking: [],
    list: [],
    catalogue: [],
    auc: metricIds.includes("auc"),
    exposure: false,
    batchSize,
  };
  for (const id of metricIds) {
    if (id === "auc") continue;
    for (const k of ks) {
      const column = { key: metricKey(id, k), id, k };
      if (Object.hasOwn(RANKING_KERNELS, id)) plan.ranking.push(column);
      else if (Object.hasOwn(LIST_METRICS, id)) plan.list.push(column);
      else if (Object.hasOwn(CATALOGUE_METRICS, id)) plan.catalogue.push(column);
    }
  }
  plan.exposure = plan.catalogue.length > 0;
  return plan;
}

/**
 * Ranks all items for each evaluated user (scores from `score`, excluded items masked to
 * -Infinity, ties to the lower item index) and computes every metric at every K against `truth`,
 * beyond-accuracy metrics included, from the same top-max(K) lists in one pass. Buffers are
 * allocated once (one batchSize × numItems score block, one exposure count per item and K);
 * relevant items are found with a per-item marker array, so a user costs
 * O(numItems + maxK log maxK + |truth|), plus O(numItems log |truth|) for AUC.
 */
export function evaluateRanking(score: Scorer, options: RankingEvalOptions): RankingEvalResult {
  const started = performance.now();
  const plan = planRanking(options);
  const block = scoreRankingBlock(score, options, plan, 0, plan.users.length);
  return combineRankingBlocks(plan, options, [block], (performance.now() - started) / 1000);
}

/** Scores plan.users[start .. end) and computes their per-user values (see RankingBlock). */
export function scoreRankingBlock(score: Scorer, options: RankingEvalOptions, plan: RankingPlan, start: number, end: number): RankingBlock {
  const { numItems, truth, exclude, beyond: context } = options;
  const { ks, maxK, batchSize } = plan;
  const users = plan.users.subarray(start, end);
  const numUsers = users.length;
  const ranking = plan.ranking.map((c) => ({ kernel: RANKING_KERNELS[c.id as keyof typeof RANKING_KERNELS], k: c.k, values: new Float64Array(numUsers) }));
  const list = plan.list.map((c) => ({ kernel: LIST_METRICS[c.id], k: c.k, values: new Float64Array(numUsers) }));
  const aucValues = plan.auc ? new Float64Array(numUsers) : null;
  const exposure = plan.exposure ? ks.map(() => new Float64Array(numItems)) : [];
  const wantPrimitive = plan.metricIds.includes("serendipity");

  const scores = new Float32Array(Math.min(batchSize, Math.max(numUsers, 1)) * numItems);
  // One ranking serves the metrics (its first maxK items) and the candidates (all `depth`).
  const depth = Math.max(maxK, options.candidates ?? 0);
  const top = new Int32Array(depth);
  const candidates: RankedCandidates | undefined = options.candidates
    ? { size: options.candidates, counts: new Int32Array(numUsers), items: new Int32Array(numUsers * options.candidates), scores: new Float32Array(numUsers * options.candidates) }
    : undefined;
  const hits: RankedHits = { flags: new Uint8Array(maxK), length: 0, numRelevant: 0 };
  const marker = new Int32Array(numItems).fill(-1); // marker[item] === j: item is relevant to users[j]
  // primitiveAt[item] = rank in Popularity's list for users[j] when primitiveUser[item] === j.
  const primitiveUser = wantPrimitive ? new Int32Array(numItems).fill(-1) : null;
  const primitiveAt = wantPrimitive ? new Int32Array(numItems) : null;
  const kept = options.keepLists ? new Int32Array(numUsers * maxK).fill(-1) : undefined;
  const view: ListView = { list: top, length: 0, relevant: hits.flags, primitiveRank: new Int32Array(maxK).fill(0x7fffffff), history: new Int32Array(0) };

  for (let from = 0; from < numUsers; from += batchSize) {
    const batch = users.subarray(from, Math.min(numUsers, from + batchSize));
    score(batch, scores);
    for (let r = 0; r < batch.length; r++) {
      const u = batch[r];
      const j = from + r;
      const base = r * numItems;
      for (const m of exclude) {
        if (u >= m.numRows) continue;
        for (let p = m.indptr[u], e = m.indptr[u + 1]; p < e; p++) scores[base + m.indices[p]] = -Infinity;
      }
      const ranked = topK(scores, base, numItems, depth, top);
      const length = Math.min(ranked, maxK);
      if (kept) kept.set(top.subarray(0, length), j * maxK);
      if (candidates) keepCandidates(candidates, j, top, Math.min(ranked, candidates.size), scores, base);

      let numRelevant = 0;
      for (let p = truth.indptr[u], e = truth.indptr[u + 1]; p < e; p++) {
        const item = truth.indices[p];
        if (marker[item] !== j) {
          marker[item] = j;
          numRelevant++;
        }
      }
      for (let i = 0; i < length; i++) hits.flags[i] = marker[top[i]] === j ? 1 : 0;
      hits.length = length;
      hits.numRelevant = numRelevant;

      for (const c of ranking) c.values[j] = c.kernel(hits, c.k);
      if (aucValues) aucValues[j] = auc(scores, base, numItems, truth.indices.subarray(truth.indptr[u], truth.indptr[u + 1]));
      for (let x = 0; x < exposure.length; x++) {
        const counts = exposure[x];
        for (let i = 0, n = Math.min(length, ks[x]); i < n; i++) counts[top[i]]++;
      }
      if (list.length > 0) {
        view.length = length;
        if (context && context.history.numRows > u) view.history = context.history.indices.subarray(context.history.indptr[u], context.history.indptr[u + 1]);
        else view.history = view.history.subarray(0, 0);
        if (primitiveUser && primitiveAt && context) {
          primitiveList(context.popularityOrder, scores, base, maxK, j, primitiveUser, primitiveAt);
          for (let i = 0; i < length; i++) view.primitiveRank[i] = primitiveUser[top[i]] === j ? primitiveAt[top[i]] : 0x7fffffff;
        }
        for (const c of list) c.values[j] = c.kernel(view, c.k, context!);
      }
    }
  }

  const values: Record<string, Float64Array> = {};
  plan.ranking.forEach((c, x) => (values[c.key] = ranking[x].values));
  plan.list.forEach((c, x) => (values[c.key] = list[x].values));
  if (aucValues) values.auc = aucValues;
  return { start, numUsers, values, exposure, ...(kept ? { lists: kept } : {}), ...(candidates ? { candidates } : {}) };
}

function keepCandidates(out: RankedCandidates, row: number, top: Int32Array, count: number, scores: Float32Array, base: number): void {
  out.counts[row] = count;
  for (let i = 0, at = row * out.size; i < count; i++, at++) {
    out.items[at] = top[i];
    out.scores[at] = scores[base + top[i]];
  }
}

/**
 * The evaluation result from its blocks (any split of plan.users into contiguous blocks, in any
 * order): sums run over users in plan order and exposure counts are integers, so the result is
 * identical however the users were split.
 */
export function combineRankingBlocks(plan: RankingPlan, options: RankingEvalOptions, blocks: RankingBlock[], seconds: number): RankingEvalResult {
  const ordered = [...blocks].sort((a, b) => a.start - b.start);
  const numUsers = plan.users.length;
  let covered = 0;
  for (const b of ordered) {
    if (b.start !== covered) throw new Error(`evaluation blocks leave a gap at user ${covered}`);
    covered += b.numUsers;
  }
  if (covered !== numUsers) throw new Error(`evaluation blocks cover ${covered} of ${numUsers} users`);

  const summary: Record<string, number> = {};
  const values: Record<string, Float32Array> = {};
  for (const c of plan.ranking) {
    const out = new Float32Array(numUsers);
    let sum = 0;
    for (const b of ordered) {
      const v = b.values[c.key];
      for (let j = 0; j < b.numUsers; j++) sum += v[j];
      out.set(v, b.start);
    }
    summary[c.key] = numUsers === 0 ? NaN : sum / numUsers;
    values[c.key] = out;
  }
  if (plan.auc) {
    const out = new Float32Array(numUsers);
    const { sum, count } = definedSum(ordered, "auc", out);
    summary.auc = count === 0 ? NaN : sum / count;
    values.auc = out;
  }
  if (plan.exposure) {
    const exposure = plan.ks.map(() => new Float64Array(options.numItems));
    for (const b of ordered) {
      for (let x = 0; x < exposure.length; x++) for (let i = 0; i < options.numItems; i++) exposure[x][i] += b.exposure[x][i];
    }
    for (const c of plan.catalogue) summary[c.key] = CATALOGUE_METRICS[c.id](exposure[plan.ks.indexOf(c.k)], options.beyond);
  }
  for (const c of plan.list) {
    const { sum, count } = definedSum(ordered, c.key);
    summary[c.key] = count === 0 ? NaN : sum / count;
  }
  let lists: RankingEvalResult["lists"];
  if (options.keepLists) {
    const items = new Int32Array(numUsers * plan.maxK);
    for (const b of ordered) items.set(b.lists!, b.start * plan.maxK);
    lists = { k: plan.maxK, items };
  }
  let candidates: RankedCandidates | undefined;
  if (options.candidates) {
    const size = options.candidates;
    candidates = { size, counts: new Int32Array(numUsers), items: new Int32Array(numUsers * size), scores: new Float32Array(numUsers * size) };
    for (const b of ordered) {
      candidates.counts.set(b.candidates!.counts, b.start);
      candidates.items.set(b.candidates!.items, b.start * size);
      candidates.scores.set(b.candidates!.scores, b.start * size);
    }
  }
  return {
    summary,
    perUser: { users: plan.users, values },
    numUsers,
    ...(lists ? { lists } : {}),
    ...(candidates ? { candidates } : {}),
    seconds,
    ...(Object.keys(plan.absent).length > 0 ? { absent: plan.absent } : {}),
  };
}

/** Sum and count of the defined (non-NaN) values of one column, in user order; copies them into `out`. */
function definedSum(blocks: RankingBlock[], key: string, out?: Float32Array): { sum: number; count: number } {
  let sum = 0, count = 0;
  for (const b of blocks) {
    const v = b.values[key];
    for (let j = 0; j < b.numUsers; j++) if (v[j] === v[j]) sum += v[j], count++;
    out?.set(v, b.start);
  }
  return { sum, count };
}

/**
 * Popularity's top `k` for users[j]: the first `k` items of `order` that this evaluation ranks
 * (score not masked), so exactly the evaluated model's exclusions apply. Marks each with its rank.
 */
function primitiveList(order: Int32Array, scores: Float32Array, base: number, k: number, j: number, user: Int32Array, rank: Int32Array): void {
  for (let p = 0, taken = 0; p < order.length && taken < k; p++) {
    const item = order[p];
    const s = scores[base + item];
    if (s === -Infinity || s !== s) continue;
    user[item] = j;
    rank[item] = taken++;
  }
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
