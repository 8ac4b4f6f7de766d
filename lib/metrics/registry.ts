import { badInput } from "../errors";

/**
 * Metric metadata read by the evaluator, the tracking store, charts and reports. The functions
 * themselves live in ranking.ts, rating.ts and beyond.ts; this file only says what each id means.
 *
 * Result keys: `${id}@${k}` for metrics with a cut-off ("ndcg@10", "gini@10"), `${id}` for the
 * others ("rmse", "auc").
 */
export type MetricKind = "ranking" | "rating" | "beyond";

export interface MetricDefinition {
  id: string;
  /** As the literature spells it; labels add the cut-off ("NDCG@10"). */
  displayName: string;
  kind: MetricKind;
  higherIsBetter: boolean;
  /** Whether result keys carry a cut-off K ("ndcg@10"); false for rating metrics and AUC ("auc"). */
  cutoff: boolean;
  /** One sentence for tooltips and reports. */
  description: string;
}

const definitions = {
  precision: {
    id: "precision",
    displayName: "Precision",
    kind: "ranking",
    higherIsBetter: true,
    cutoff: true,
    description: "Share of the K recommended slots that hold a relevant item (hits / K).",
  },
  recall: {
    id: "recall",
    displayName: "Recall",
    kind: "ranking",
    higherIsBetter: true,
    cutoff: true,
    description: "Share of the user's relevant items found in the top K.",
  },
  f1: {
    id: "f1",
    displayName: "F1",
    kind: "ranking",
    higherIsBetter: true,
    cutoff: true,
    description: "Harmonic mean of Precision@K and Recall@K.",
  },
  map: {
    id: "map",
    displayName: "MAP",
    kind: "ranking",
    higherIsBetter: true,
    cutoff: true,
    description: "Average precision at each hit in the top K, normalised by min(|relevant|, K).",
  },
  ndcg: {
    id: "ndcg",
    displayName: "NDCG",
    kind: "ranking",
    higherIsBetter: true,
    cutoff: true,
    description: "Discounted cumulative gain of the top K over that of an ideal ranking (binary relevance).",
  },
  mrr: {
    id: "mrr",
    displayName: "MRR",
    kind: "ranking",
    higherIsBetter: true,
    cutoff: true,
    description: "Reciprocal rank of the first relevant item in the top K (0 if none).",
  },
  hit: {
    id: "hit",
    displayName: "HitRate",
    kind: "ranking",
    higherIsBetter: true,
    cutoff: true,
    description: "1 if at least one relevant item is in the top K, else 0.",
  },
  auc: {
    id: "auc",
    displayName: "AUC",
    kind: "ranking",
    higherIsBetter: true,
    cutoff: false,
    description: "Share of (held-out item, never-interacted item) pairs the full ranking orders correctly, ties counting half; 0.5 is random.",
  },
  coverage: {
    id: "coverage",
    displayName: "Coverage",
    kind: "beyond",
    higherIsBetter: true,
    cutoff: true,
    description: "Share of the catalogue recommended in at least one user's top K.",
  },
  gini: {
    id: "gini",
    displayName: "Gini",
    kind: "beyond",
    higherIsBetter: false,
    cutoff: true,
    description: "Gini index of how often each catalogue item is recommended: 0 spreads exposure evenly, near 1 gives it to a few items.",
  },
  entropy: {
    id: "entropy",
    displayName: "Entropy",
    kind: "beyond",
    higherIsBetter: true,
    cutoff: true,
    description: "Shannon entropy, in bits, of the share of recommendations each item receives; higher spreads exposure wider.",
  },
  "head-exposure": {
    id: "head-exposure",
    displayName: "Head exposure",
    kind: "beyond",
    higherIsBetter: false,
    cutoff: true,
    description: "Share of all recommendations that go to the short head (the most popular items holding 20% of training interactions).",
  },
  arp: {
    id: "arp",
    displayName: "ARP",
    kind: "beyond",
    higherIsBetter: false,
    cutoff: true,
    description: "Average recommendation popularity: mean number of training interactions of the recommended items (popularity bias).",
  },
  aplt: {
    id: "aplt",
    displayName: "APLT",
    kind: "beyond",
    higherIsBetter: true,
    cutoff: true,
    description: "Average percentage of long tail: share of the K slots holding an item outside the short head.",
  },
  novelty: {
    id: "novelty",
    displayName: "Novelty",
    kind: "beyond",
    higherIsBetter: true,
    cutoff: true,
    description: "Mean self-information, in bits, of the recommended items: −log2 of the share of users who interacted with each.",
  },
  ild: {
    id: "ild",
    displayName: "ILD",
    kind: "beyond",
    higherIsBetter: true,
    cutoff: true,
    description: "Intra-list diversity: mean genre/category cosine distance between the pairs of items in a list; absent without item categories.",
  },
  miscalibration: {
    id: "miscalibration",
    displayName: "Miscalibration",
    kind: "beyond",
    higherIsBetter: false,
    cutoff: true,
    description: "KL divergence (nats) of the list's genre mix from the user's training genre mix (Steck 2018, α = 0.01); absent without item categories.",
  },
  serendipity: {
    id: "serendipity",
    displayName: "Serendipity",
    kind: "beyond",
    higherIsBetter: true,
    cutoff: true,
    description: "Share of the K slots holding a relevant item that Popularity's top K for the same user does not hold.",
  },
  mae: {
    id: "mae",
    displayName: "MAE",
    kind: "rating",
    higherIsBetter: false,
    cutoff: false,
    description: "Mean absolute error of predicted ratings.",
  },
  mse: {
    id: "mse",
    displayName: "MSE",
    kind: "rating",
    higherIsBetter: false,
    cutoff: false,
    description: "Mean squared error of predicted ratings.",
  },
  rmse: {
    id: "rmse",
    displayName: "RMSE",
    kind: "rating",
    higherIsBetter: false,
    cutoff: false,
    description: "Square root of the mean squared error of predicted ratings.",
  },
} as const satisfies Record<string, MetricDefinition>;

for (const [key, def] of Object.entries(definitions)) {
  if (key !== def.id) throw new Error(`metric registry: key "${key}" differs from id "${def.id}"`);
}

export type MetricId = keyof typeof definitions;
/** Ranking metrics at a cut-off: the top-K kernels of ranking.ts. */
export type RankingMetricId = {
  [K in MetricId]: (typeof definitions)[K] extends { kind: "ranking"; cutoff: true } ? K : never;
}[MetricId];

/** Beyond-accuracy metrics at a cut-off, computed from the same top-K lists. */
export type BeyondMetricId = { [K in MetricId]: (typeof definitions)[K]["kind"] extends "beyond" ? K : never }[MetricId];

/** Every metric, in display order. */
export const METRICS: readonly MetricDefinition[] = Object.values(definitions);

/** Top-K ranking metric ids in display order. */
export const RANKING_METRIC_IDS = METRICS.filter((m) => m.kind === "ranking" && m.cutoff).map((m) => m.id) as RankingMetricId[];

/** Beyond-accuracy metric ids in display order. */
export const BEYOND_METRIC_IDS = METRICS.filter((m) => m.kind === "beyond").map((m) => m.id) as BeyondMetricId[];

export function isMetricId(id: string): id is MetricId {
  return Object.hasOwn(definitions, id);
}

/** The definition of `id`; throws BAD_INPUT for an unknown id. */
export function getMetricOrThrow(id: string): MetricDefinition {
  if (!isMetricId(id)) throw badInput(`unknown metric "${id}"`, { id });
  return definitions[id];
}

/** Result key for a metric: `metricKey("ndcg", 10)` is "ndcg@10", `metricKey("rmse")` is "rmse". */
export function metricKey(id: string, k?: number): string {
  const def = getMetricOrThrow(id);
  if (!def.cutoff) {
    if (k !== undefined) throw badInput(`metric "${id}" takes no cut-off`, { id, k });
    return id;
  }
  if (k === undefined || !Number.isInteger(k) || k < 1) {
    throw badInput(`metric "${id}" needs a cut-off K >= 1`, { id, k });
  }
  return `${id}@${k}`;
}

/** Inverse of metricKey: "ndcg@10" -> { id: "ndcg", k: 10 }; throws BAD_INPUT on a malformed key. */
export function parseMetricKey(key: string): { id: MetricId; k?: number } {
  const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)(?:@([1-9][0-9]*))?$/.exec(key);
  if (!match || !isMetricId(match[1])) throw badInput(`unknown metric key "${key}"`, { key });
  const id = match[1];
  const k = match[2] === undefined ? undefined : Number(match[2]);
  metricKey(id, k); // validates that the cut-off is present exactly when the kind needs one
  return k === undefined ? { id } : { id, k };
}

/** Display label of a result key: "ndcg@10" -> "NDCG@10", "rmse" -> "RMSE". */
export function metricLabel(key: string): string {
  const { id, k } = parseMetricKey(key);
  const name = definitions[id].displayName;
  return k === undefined ? name : `${name}@${k}`;
}

/** Whether a larger value of the metric behind `key` is better ("ndcg@10" -> true, "rmse" -> false). */
export function isHigherBetter(key: string): boolean {
  return definitions[parseMetricKey(key).id].higherIsBetter;
}

const REGISTRY_POSITION = new Map(METRICS.map((m, i) => [m.id, i]));

/**
 * Display order of result keys: `first` (the metric the view is about) leads, then the registry's
 * order (accuracy metrics before beyond-accuracy ones), smaller cut-offs first.
 */
export function orderMetricKeys(keys: Iterable<string>, first?: string): string[] {
  const rank = (key: string) => {
    const { id, k } = parseMetricKey(key);
    return [key === first ? 0 : 1, REGISTRY_POSITION.get(id) ?? METRICS.length, k ?? 0];
  };
  return [...keys].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
  });
}
