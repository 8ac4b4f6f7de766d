import { alignPerUser } from "../metrics/per-user";
import { bestValue, gain } from "../metrics/direction";
import { isHigherBetter, metricLabel, orderMetricKeys } from "../metrics/registry";
import { bootstrapMeanCi } from "../stats/bootstrap";
import { holmAdjust } from "../stats/multiple-testing";
import { pairedTTest, wilcoxonSignedRank } from "../stats/paired-tests";
import { unpairedReason, type EvaluationSetting } from "./pairability";
import { SUMMARY_BOOTSTRAP_SEED } from "./summarize";

export interface ComparableRun extends EvaluationSetting {
  id: string;
  /** Metrics on the compared split. */
  metrics: Record<string, number>;
}

export interface RunInterval {
  runId: string;
  estimate: number;
  low: number;
  high: number;
}

/** A pair evaluated on different test sets: no p-values, only the reason and each run's own interval. */
export interface UnpairedComparison {
  a: string;
  b: string;
  paired: false;
  /** Why no paired test is shown, e.g. "SASRec was evaluated on a leave-one-out split, BPR-MF on …". */
  reason: string;
  sentence: string;
}

export type PairComparison = PairedComparison | UnpairedComparison;

export interface PairedComparison {
  a: string;
  b: string;
  paired: true;
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
 * (over its per-user values), and every pair evaluated on the same test set (pairability.ts)
 * tested with the paired t-test and the Wilcoxon signed-rank test over its users, Holm-corrected
 * across those pairs. A pair counts as a significant difference when both corrected p-values are
 * below `alpha`. Other pairs get the reason instead and no p-value.
 */
export function compareRuns(runs: ComparableRun[], metric: string, alpha = 0.05): RunComparison {
  const keys = orderMetricKeys(new Set(runs.flatMap((r) => Object.keys(r.metrics))), metric);
  const columns = keys.map((key) => {
    const higherIsBetter = isHigherBetter(key);
    const target = bestValue(key, runs.map((r) => r.metrics[key]));
    return { key, label: metricLabel(key), higherIsBetter, best: runs.filter((r) => r.metrics[key] === target).map((r) => r.id) };
  });
  const intervals = runs
    .filter((r) => r.perUser?.values[metric])
    .map((r) => ({ runId: r.id, ...bootstrapMeanCi(r.perUser!.values[metric], { seed: SUMMARY_BOOTSTRAP_SEED }) }))
    .map(({ runId, estimate, low, high }) => ({ runId, estimate, low, high }));

  const raw: Omit<PairedComparison, "tTestPHolm" | "wilcoxonPHolm" | "significant" | "sentence">[] = [];
  const unpaired: UnpairedComparison[] = [];
  const intervalOf = new Map(intervals.map((i) => [i.runId, i]));
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const a = runs[i], b = runs[j];
      const reason = unpairedReason(a, b, metric);
      if (reason) {
        const figures = [a, b].map((r) => describeInterval(r.name, intervalOf.get(r.id))).join("; ");
        unpaired.push({ a: a.id, b: b.id, paired: false, reason, sentence: `${reason}. Unpaired ${metricLabel(metric)} with bootstrap 95% CIs: ${figures}` });
        continue;
      }
      const aligned = alignPerUser(a.perUser!, b.perUser!, metric);
      const t = pairedTTest(aligned.a, aligned.b);
      const w = wilcoxonSignedRank(aligned.a, aligned.b);
      raw.push({ a: a.id, b: b.id, paired: true, n: aligned.users.length, meanDifference: t.meanDifference, tTestP: t.p, wilcoxonP: w.p });
    }
  }
  const tHolm = holmAdjust(raw.map((p) => p.tTestP));
  const wHolm = holmAdjust(raw.map((p) => p.wilcoxonP));
  const nameOf = new Map(runs.map((r) => [r.id, r.name]));
  const paired = raw.map((p, k): PairedComparison => {
    const full = { ...p, tTestPHolm: tHolm[k], wilcoxonPHolm: wHolm[k], significant: Math.max(tHolm[k], wHolm[k]) < alpha };
    return { ...full, sentence: describePair(full, nameOf.get(p.a)!, nameOf.get(p.b)!, metric, raw.length) };
  });
  return { metric, columns, intervals, pairs: [...paired, ...unpaired], alpha };
}

/** "SASRec 0.212 [0.198, 0.227]", or "BPR-MF: no per-user values". */
function describeInterval(name: string, ci: RunInterval | undefined): string {
  if (!ci) return `${name}: no per-user values`;
  return `${name} ${ci.estimate.toFixed(3)} [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}]`;
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
export function describePair(pair: Omit<PairedComparison, "sentence">, nameA: string, nameB: string, metric: string, family: number): string {
  const label = metricLabel(metric);
  const p = Math.max(pair.tTestPHolm, pair.wilcoxonPHolm);
  const detail = `paired t-test ${formatP(pair.tTestPHolm)}, Wilcoxon ${formatP(pair.wilcoxonPHolm)}${family > 1 ? `, Holm-corrected over ${family} pairs` : ""}; ${pair.n} users`;
  const size = Math.abs(pair.meanDifference).toFixed(3);
  if (!pair.significant) return `No significant difference between ${nameA} and ${nameB} on ${label} (Δ ${size}, ${formatP(p)}; ${detail})`;
  const aWins = gain(metric, pair.meanDifference) > 0;
  const [winner, loser] = aWins ? [nameA, nameB] : [nameB, nameA];
  return `${winner} beats ${loser} on ${label} by ${size}, ${formatP(p)} (${detail})`;
}
