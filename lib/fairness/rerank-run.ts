import type { Dataset } from "../datasets/types";
import { prepareSplit, splitForRun } from "../experiments/prepare-data";
import { resolveFeedback } from "../experiments/run-experiment";
import type { RunConfig } from "../experiments/run-config";
import { buildBeyondContext, type BeyondContext } from "../metrics/beyond-context";
import { DEFAULT_RANKING_METRICS, evaluateRanking, type RankingEvalResult } from "../metrics/evaluate";
import { BEYOND_METRIC_IDS, metricKey } from "../metrics/registry";
import { getModelDefinition } from "../models/registry";
import { badInput } from "../errors";
import type { CandidateLists } from "./candidates";
import { genreVectors } from "./genres";
import { getRerankerDefinition, rerankAll, type RerankedLists } from "./registry";
import type { RerankContext, RerankerDefinition } from "./rerank-base";

/**
 * Re-ranking a finished run without its model: the run's test part rebuilt from its resolved
 * config (same split, seed and masking), its stored top-C candidates re-ranked, and the lists
 * measured by the evaluator itself, so a re-ranked point has the same metrics, per user too, as
 * any run. Framework-free: the sweep job and the variant endpoint both call in here.
 */

/** The λ a sweep tries when none are given (the reference curves' λ). */
export const DEFAULT_SWEEP_LAMBDAS: readonly number[] = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];

/** The evaluator metric each re-ranker's objective is measured by (the x axis of its curve). */
export const OBJECTIVE_METRIC: Record<RerankerDefinition["objective"], string> = { ild: "ild", kl: "miscalibration", aplt: "aplt" };

/** Every metric of a re-ranked list: ranking and beyond-accuracy. AUC is left out (a list ranks only K items). */
export const RERANK_METRICS: readonly string[] = [...DEFAULT_RANKING_METRICS.filter((id) => id !== "auc"), ...BEYOND_METRIC_IDS.filter((id) => id !== "coverage")];

export interface RerankSetting {
  /** Everything the re-rankers and the evaluator read, rebuilt once per job or request. */
  ctx: RerankContext;
  beyond: BeyondContext;
  candidates: CandidateLists;
  /** Test interactions (truth) and the masks of the run's test evaluation. */
  truth: RankingEvalInput["truth"];
  exclude: RankingEvalInput["exclude"];
  numItems: number;
  /** The run's cut-offs plus the sweep's K; lists are re-ranked to the largest. */
  ks: number[];
}

type RankingEvalInput = Parameters<typeof evaluateRanking>[1];

/**
 * Rebuilds a run's test setting from its dataset and resolved config (the split of
 * lib/experiments/prepare-data, as the run made it) around its stored candidates.
 */
export function prepareRerankSetting(dataset: Dataset, config: RunConfig, candidates: CandidateLists, k: number): RerankSetting {
  const { split } = splitForRun(dataset, config);
  const data = prepareSplit(dataset, split, resolveFeedback(config.feedback, getModelDefinition(config.modelId), dataset));
  const train = data.train.train;
  const beyond = buildBeyondContext({ train, genres: dataset.items?.genres, itemIds: dataset.itemIds });
  const tail = Uint8Array.from(beyond.head, (h) => 1 - h);
  const genres = dataset.items?.genres?.some((g) => g.length > 0) ? genreVectors(dataset.items.genres, dataset.numItems) : undefined;
  const ctx: RerankContext = { numItems: dataset.numItems, popularity: beyond.popularity, tail, ...(genres ? { genres } : {}) };
  const ks = [...new Set([...config.ks, k])].sort((a, b) => a - b);
  return { ctx, beyond, candidates, truth: data.test, exclude: [train, data.validation], numItems: dataset.numItems, ks };
}

/**
 * The re-ranked lists of every candidate user, each as long as the largest cut-off. The re-rankers
 * are greedy (or sort by an adjusted score), so the first K of a longer list are the list of K.
 */
export function rerankRun(setting: RerankSetting, rerankerId: string, params: Record<string, unknown>): RerankedLists {
  const maxK = setting.ks[setting.ks.length - 1];
  if (setting.candidates.size < maxK) throw badInput(`the run kept ${setting.candidates.size} candidates per user, fewer than K = ${maxK}`);
  return rerankAll(rerankerId, params, setting.ctx, setting.candidates, setting.beyond.history, maxK);
}

/**
 * The evaluator over re-ranked lists: each list's items score above every other item (in list
 * order), the run's masks apply, so top-K = the re-ranked list and metrics are computed exactly
 * as for the run, per user included.
 */
export function evaluateReranked(setting: RerankSetting, lists: RerankedLists, keepLists = false): RankingEvalResult {
  const { numItems } = setting;
  const rowOf = new Map<number, number>();
  for (let r = 0; r < lists.users.length; r++) rowOf.set(lists.users[r], r);
  return evaluateRanking(
    (users, out) => {
      out.fill(-3e38, 0, users.length * numItems);
      for (let b = 0; b < users.length; b++) {
        const r = rowOf.get(users[b]);
        if (r === undefined) continue;
        for (let i = 0; i < lists.counts[r]; i++) out[b * numItems + lists.items[r * lists.k + i]] = lists.k - i;
      }
    },
    { numItems, truth: setting.truth, exclude: setting.exclude, ks: setting.ks, metrics: [...RERANK_METRICS], beyond: setting.beyond, users: lists.users, keepLists },
  );
}

/** One point of a sweep: λ and every metric of the re-ranked lists. */
export interface SweepPoint {
  lambda: number;
  metrics: Record<string, number>;
  /** Re-ranking and evaluation wall time. */
  seconds: number;
}

/** A re-ranker's trade-off curve on a run, as stored with the run. */
export interface RerankCurve {
  rerankerId: string;
  displayName: string;
  /** Other parameters of the re-ranker (λ varies). */
  params: Record<string, unknown>;
  k: number;
  /** Metric keys of the axes: x = what the re-ranker targets, y = accuracy. */
  x: string;
  y: string;
  points: SweepPoint[];
  jobId: string | null;
  createdAt: string;
}

/** Validates each λ with the re-ranker's own schema; a bad one is BAD_INPUT naming it. */
export function checkSweepParams(rerankerId: string, lambdas: readonly number[], params: Record<string, unknown>): RerankerDefinition {
  const definition = getRerankerDefinition(rerankerId);
  for (const lambda of lambdas) {
    const parsed = definition.paramsSchema.safeParse({ ...params, lambda });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ");
      throw badInput(`${definition.displayName}, λ = ${lambda}: ${issues}`, { field: "lambdas", reranker: rerankerId });
    }
  }
  return definition;
}

/**
 * Sweeps λ: re-ranks and evaluates at each value in turn. `onPoint` runs after every point
 * (progress, cancellation: throw from it to stop).
 */
export async function sweepRerank(
  setting: RerankSetting,
  input: { rerankerId: string; lambdas: readonly number[]; params: Record<string, unknown>; k: number },
  onPoint?: (done: number, point: SweepPoint) => Promise<void> | void,
): Promise<Omit<RerankCurve, "jobId" | "createdAt">> {
  const definition = checkSweepParams(input.rerankerId, input.lambdas, input.params);
  const points: SweepPoint[] = [];
  for (const lambda of input.lambdas) {
    const started = performance.now();
    const result = evaluateReranked(setting, rerankRun(setting, input.rerankerId, { ...input.params, lambda }));
    const point = { lambda, metrics: result.summary, seconds: (performance.now() - started) / 1000 };
    points.push(point);
    await onPoint?.(points.length, point);
  }
  return {
    rerankerId: definition.id,
    displayName: definition.displayName,
    params: input.params,
    k: input.k,
    x: metricKey(OBJECTIVE_METRIC[definition.objective], input.k),
    y: metricKey("ndcg", input.k),
    points,
  };
}
