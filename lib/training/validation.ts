import type { Csr } from "../datasets/types";
import { badInput } from "../errors";
import { evaluateRanking, evaluateRating } from "../metrics/evaluate";
import { isHigherBetter, parseMetricKey, getMetricOrThrow } from "../metrics/registry";
import { historyScorer } from "../models/history-scorer";
import type { ItemLists, Recommender } from "../models/types";

/** Held-out interactions for model selection: what counts as relevant and what is masked. */
export interface ValidationSet {
  /** Relevant items per user; with explicit feedback the values are the held-out ratings. */
  truth: Csr;
  /** Items masked when ranking (the training interactions). */
  exclude: Csr[];
  /** User cold start: the validation users' fold-in histories, which they are scored from. */
  foldIn?: ItemLists;
  /** Rank only these users (a fixed sample on large datasets, ./validation-sample.ts); default every user with truth. */
  users?: Int32Array;
}

/** A validation metric to select epochs on, e.g. "ndcg@10" (higher is better) or "rmse" (lower). */
export interface Monitor {
  key: string;
  higherIsBetter: boolean;
  kind: "ranking" | "rating";
  /** Cut-off of a ranking monitor. */
  k?: number;
}

/** Reads a monitor key; BAD_INPUT (field "monitor") for unknown keys and non-accuracy metrics. */
export function parseMonitor(key: string): Monitor {
  let parsed: ReturnType<typeof parseMetricKey>;
  try {
    parsed = parseMetricKey(key);
  } catch (error) {
    throw badInput(`Early-stopping metric: ${error instanceof Error ? error.message : String(error)}; pick e.g. ndcg@10 or rmse`, { field: "monitor" });
  }
  const { id, k } = parsed;
  const kind = getMetricOrThrow(id).kind;
  if (kind === "beyond") throw badInput(`Early-stopping metric: "${key}" is not an accuracy metric; pick e.g. ndcg@10 or rmse`, { field: "monitor" });
  return { key, higherIsBetter: isHigherBetter(key), kind, k };
}

/** Whether `candidate` beats `best` on the monitor (any finite value beats none). */
export function improves(monitor: Monitor, candidate: number, best: number | null): boolean {
  if (!Number.isFinite(candidate)) return false;
  if (best === null) return true;
  return monitor.higherIsBetter ? candidate > best : candidate < best;
}

/**
 * Ranking metrics at `ks` on the validation set, plus mae/mse/rmse when `ratings` is true and
 * the model predicts ratings (explicit feedback: the truth values are the held-out ratings).
 */
export function evaluateValidation(
  model: Recommender,
  numItems: number,
  validation: ValidationSet,
  ks: number[],
  ratings: boolean,
): Record<string, number> {
  const scorer = validation.foldIn ? historyScorer(model, validation.foldIn) : (users: Int32Array, out: Float32Array) => model.score(users, out);
  const ranking = evaluateRanking(scorer, {
    numItems,
    truth: validation.truth,
    exclude: validation.exclude,
    ks,
    ...(validation.users ? { users: validation.users } : {}),
  });
  const metrics: Record<string, number> = { ...ranking.summary };
  if (ratings && model.predict) {
    const truth = validation.users ? selectCsrRows(validation.truth, validation.users) : validation.truth;
    const rating = evaluateRating((u, i) => model.predict!(u, i), csrToRows(truth));
    Object.assign(metrics, rating.summary);
  }
  return metrics;
}

/** `m` with only the given rows kept (the others empty), same shape. */
function selectCsrRows(m: Csr, rows: Int32Array): Csr {
  const indptr = new Int32Array(m.numRows + 1);
  const keep = new Uint8Array(m.numRows);
  for (const r of rows) keep[r] = 1;
  for (let r = 0; r < m.numRows; r++) indptr[r + 1] = indptr[r] + (keep[r] ? m.indptr[r + 1] - m.indptr[r] : 0);
  const indices = new Int32Array(indptr[m.numRows]);
  const values = new Float32Array(indptr[m.numRows]);
  for (let r = 0; r < m.numRows; r++) {
    if (!keep[r]) continue;
    indices.set(m.indices.subarray(m.indptr[r], m.indptr[r + 1]), indptr[r]);
    values.set(m.values.subarray(m.indptr[r], m.indptr[r + 1]), indptr[r]);
  }
  return { ...m, indptr, indices, values };
}

/** The (user, item, value) rows of a CSR matrix. */
export function csrToRows(m: Csr): { users: Int32Array; items: Int32Array; ratings: Float32Array } {
  const users = new Int32Array(m.indices.length);
  for (let u = 0; u < m.numRows; u++) users.fill(u, m.indptr[u], m.indptr[u + 1]);
  return { users, items: m.indices, ratings: m.values };
}
