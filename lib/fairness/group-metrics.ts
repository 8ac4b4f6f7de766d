import { holmAdjust } from "../stats/multiple-testing";
import { bootstrapMeanCi, type ConfidenceInterval } from "../stats/bootstrap";
import { groupGapTest } from "./group-gaps";

/**
 * Per-group accuracy with bootstrap 95% CIs and gaps between groups with a seeded permutation
 * test, Holm-corrected across the pairs tested for each metric. Groups below `minSize` users are
 * reported (status "too-small") but neither estimated nor tested.
 */

export interface GroupMetricsInput {
  /** Per-user metric vectors, aligned with `labels` (one label per evaluated user). */
  values: Record<string, ArrayLike<number>>;
  labels: readonly (string | null)[];
  /** Metric keys to test for gaps (default: every key). */
  gapKeys?: string[];
  /** Default 10. */
  minSize?: number;
  /** Every group expected (so an empty one shows up as empty), default the labels seen. */
  groups?: string[];
  permutations?: number;
  resamples?: number;
  seed?: number;
}

export interface GroupSummary {
  group: string;
  n: number;
  status: "ok" | "too-small" | "empty";
  /** Mean and bootstrap CI per metric key; only for status "ok". */
  metrics: Record<string, ConfidenceInterval>;
}

export interface GroupGap {
  key: string;
  a: string;
  b: string;
  /** mean(a) − mean(b). */
  gap: number;
  /** mean(a) / mean(b); null when mean(b) is 0. */
  ratio: number | null;
  p: number;
  /** Holm-adjusted over the pairs tested for this metric. */
  pHolm: number;
  significant: boolean;
}

export interface GroupMetrics {
  groups: GroupSummary[];
  gaps: GroupGap[];
  /** How pairs were chosen: all pairs (≤ 5 groups) or each group against the largest. */
  pairing: "all-pairs" | "against-largest";
  minSize: number;
  alpha: number;
}

const ALPHA = 0.05;

export function groupMetrics(input: GroupMetricsInput): GroupMetrics {
  const { values, labels, minSize = 10, permutations = 2000, resamples = 1000, seed = 42 } = input;
  const keys = Object.keys(values);
  const members = new Map<string, number[]>();
  for (const g of input.groups ?? []) members.set(g, []);
  labels.forEach((label, j) => {
    if (label === null) return;
    const list = members.get(label) ?? [];
    list.push(j);
    members.set(label, list);
  });
  const names = [...members.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const groups: GroupSummary[] = names.map((group) => {
    const idx = members.get(group)!;
    const status = idx.length === 0 ? "empty" : idx.length < minSize ? "too-small" : "ok";
    const metrics: Record<string, ConfidenceInterval> = {};
    if (status === "ok") {
      for (const key of keys) {
        const v = values[key];
        const defined = Float64Array.from(idx.map((j) => v[j]).filter((x) => x === x));
        metrics[key] = bootstrapMeanCi(defined, { resamples, seed });
      }
    }
    return { group, n: idx.length, status, metrics };
  });

  const tested = groups.filter((g) => g.status === "ok");
  const pairing = tested.length <= 5 ? "all-pairs" : "against-largest";
  const pairs: [string, string][] = [];
  if (pairing === "all-pairs") {
    for (let i = 0; i < tested.length; i++) for (let j = i + 1; j < tested.length; j++) pairs.push([tested[i].group, tested[j].group]);
  } else {
    const largest = tested.reduce((a, b) => (b.n > a.n ? b : a));
    for (const g of tested) if (g !== largest) pairs.push([g.group, largest.group]);
  }
  const gaps: GroupGap[] = [];
  for (const key of input.gapKeys ?? keys) {
    const v = values[key];
    if (!v) continue;
    const means = new Map(tested.map((g) => [g.group, g.metrics[key]?.estimate ?? NaN]));
    const tests = pairs.map(([a, b]) => {
      const ma = means.get(a)!, mb = means.get(b)!;
      if (!(ma === ma && mb === mb)) return { a, b, gap: NaN, p: NaN, ratio: null };
      const t = groupGapTest(v, labels, a, b, { permutations, seed });
      return { a, b, gap: t.gap, p: t.p, ratio: mb === 0 ? null : ma / mb };
    });
    const adjusted = holmAdjust(tests.map((t) => t.p));
    tests.forEach((t, i) => {
      if (t.p === t.p) gaps.push({ key, ...t, pHolm: adjusted[i], significant: adjusted[i] < ALPHA });
    });
  }
  return { groups, gaps, pairing, minSize, alpha: ALPHA };
}
