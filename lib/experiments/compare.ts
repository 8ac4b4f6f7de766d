import { alignPerUser, type PerUser } from "../metrics/per-user";
import { isHigherBetter, metricLabel } from "../metrics/registry";
import { bootstrapMeanCi } from "../stats/bootstrap";
import { holmAdjust } from "../stats/multiple-testing";
import { pairedTTest, wilcoxonSignedRank } from "../stats/paired-tests";
import { SUMMARY_BOOTSTRAP_SEED } from "./summarize";

export interface ComparableRun {
  id: string;
  name: string;
  /** Metrics on the compared split. */
  metrics: Record<string, number>;
  perUser: PerUser | null;
}

export interface RunInterval {
  runId: string;
  estimate: number;
  low: number;
  high: number;
}

export interface PairComparison {
  a: string;
  b: string;
  /** Users both runs were evaluated on. */
  n: number;
  /** Mean over users of a − b. */
  meanDifference: number;
  tTestP: number;
  wilcoxonP: number;
  /** Holm-corrected across all pairs, per test. */
  tTestPHolm: number;
  wilcoxonPHolm: number;
  significant: boolean;
  sentence: string;
}

export interface RunComparison {
  metric: string;
  /** Metric keys of the table, with the ids of the runs best in each column. */
  columns: { key: string; label: string; higherIsBetter: boolean; best: string[] }[];
  intervals: RunInterval[];
  pairs: PairComparison[];
  alpha: number;
}

/**
 * Compares runs on one split: best run per metric, a bootstrap 95% interval of `metric` per run
 * (over its per-user values), and every pair tested with the paired t-test and the Wilcoxon
 * signed-rank test over the users both evaluated, Holm-corrected across pairs. A pair counts
 * as a significant difference when both corrected p-values are below `alpha`.
 */
export function compareRuns(runs: ComparableRun[], metric: string, alpha = 0.05): RunComparison {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const columns = keys.map((key) => {
    const higherIsBetter = isHigherBetter(key);
    const values = runs.map((r) => r.metrics[key]).filter((v) => Number.isFinite(v));
    const target = values.length ? (higherIsBetter ? Math.max(...values) : Math.min(...values)) : NaN;
    return { key, label: metricLabel(key), higherIsBetter, best: runs.filter((r) => r.metrics[key] === target).map((r) => r.id) };
  });
  const intervals = runs
    .filter((r) => r.perUser?.values[metric])
    .map((r) => ({ runId: r.id, ...bootstrapMeanCi(r.perUser!.values[metric], { seed: SUMMARY_BOOTSTRAP_SEED }) }))
    .map(({ runId, estimate, low, high }) => ({ runId, estimate, low, high }));

  const raw: Omit<PairComparison, "tTestPHolm" | "wilcoxonPHolm" | "significant" | "sentence">[] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const a = runs[i], b = runs[j];
      if (!a.perUser?.values[metric] || !b.perUser?.values[metric]) continue;
      const aligned = alignPerUser(a.perUser, b.perUser, metric);
      const t = pairedTTest(aligned.a, aligned.b);
      const w = wilcoxonSignedRank(aligned.a, aligned.b);
      raw.push({ a: a.id, b: b.id, n: aligned.users.length, meanDifference: t.meanDifference, tTestP: t.p, wilcoxonP: w.p });
    }
  }
  const tHolm = holmAdjust(raw.map((p) => p.tTestP));
  const wHolm = holmAdjust(raw.map((p) => p.wilcoxonP));
  const nameOf = new Map(runs.map((r) => [r.id, r.name]));
  const pairs = raw.map((p, k) => {
    const full = { ...p, tTestPHolm: tHolm[k], wilcoxonPHolm: wHolm[k], significant: Math.max(tHolm[k], wHolm[k]) < alpha };
    return { ...full, sentence: describePair(full, nameOf.get(p.a)!, nameOf.get(p.b)!, metric, raw.length) };
  });
  return { metric, columns, intervals, pairs, alpha };
}

/** "p < 0.001", "p = 0.012", "p = 0.41". */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return "p = –";
  if (p < 0.001) return "p < 0.001";
  return `p = ${p < 0.01 ? p.toFixed(3) : Number(p.toPrecision(2))}`;
}

/**
 * The comparison in words: "SASRec beats GRU4Rec on NDCG@10 by 0.031, p < 0.001 (...)", or "No
 * significant difference ...". The headline p is the larger Holm-corrected p of the two tests.
 */
export function describePair(pair: Omit<PairComparison, "sentence">, nameA: string, nameB: string, metric: string, family: number): string {
  const label = metricLabel(metric);
  const p = Math.max(pair.tTestPHolm, pair.wilcoxonPHolm);
  const detail = `paired t-test ${formatP(pair.tTestPHolm)}, Wilcoxon ${formatP(pair.wilcoxonPHolm)}${family > 1 ? `, Holm-corrected over ${family} pairs` : ""}; ${pair.n} users`;
  const size = Math.abs(pair.meanDifference).toFixed(3);
  if (!pair.significant) return `No significant difference between ${nameA} and ${nameB} on ${label} (Δ ${size}, ${formatP(p)}; ${detail})`;
  const aWins = pair.meanDifference > 0 === isHigherBetter(metric);
  const [winner, loser] = aWins ? [nameA, nameB] : [nameB, nameA];
  return `${winner} beats ${loser} on ${label} by ${size}, ${formatP(p)} (${detail})`;
}
