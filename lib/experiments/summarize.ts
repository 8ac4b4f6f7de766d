import { alignPerUser, type PerUser } from "../metrics/per-user";
import { gain } from "../metrics/direction";
import { bootstrapMeanCi } from "../stats/bootstrap";
import { holmAdjust } from "../stats/multiple-testing";
import { pairedTTest } from "../stats/paired-tests";
import { mean, sampleStd } from "../stats/summary";
import type { AblationDelta, FoldAggregate } from "./experiment-spec";

/** Seed of every bootstrap in experiment summaries, so a summary is reproducible. */
export const SUMMARY_BOOTSTRAP_SEED = 20240601;

export interface TrialOutcome {
  id: string;
  trialIndex: number;
  /** Validation metrics of the trial's selected epoch. */
  validation: Record<string, number>;
}

/** The trial with the best validation value of `metric` (ties: the earlier trial); null when none has one. */
export function selectBestTrial<T extends TrialOutcome>(trials: T[], metric: string): T | null {
  let best: T | null = null;
  for (const t of [...trials].sort((a, b) => a.trialIndex - b.trialIndex)) {
    const value = t.validation[metric];
    if (!Number.isFinite(value)) continue;
    if (best === null || gain(metric, value - best.validation[metric]) > 0) best = t;
  }
  return best;
}

/**
 * Searches that repeat each configuration (folds × seeds, `repeats` consecutive trial indices per
 * configuration): the configuration with the best mean validation value of `metric` over its
 * succeeded trials (ties: the earlier one). Returns its trials in trial order and the mean.
 */
export function selectBestConfiguration<T extends TrialOutcome>(trials: T[], metric: string, repeats: number): { trials: T[]; mean: number } | null {
  const groups = new Map<number, T[]>();
  for (const t of [...trials].sort((a, b) => a.trialIndex - b.trialIndex)) {
    if (!Number.isFinite(t.validation[metric])) continue;
    const key = Math.floor(t.trialIndex / repeats);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  let best: { trials: T[]; mean: number } | null = null;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const members = groups.get(key)!;
    const value = mean(members.map((t) => t.validation[metric]));
    if (best === null || gain(metric, value - best.mean) > 0) best = { trials: members, mean: value };
  }
  return best;
}

/** Mean ± sample std of every test metric over folds, with the per-fold values in fold order. */
export function aggregateFolds(folds: { test: Record<string, number> }[]): Record<string, FoldAggregate> {
  const keys = [...new Set(folds.flatMap((f) => Object.keys(f.test)))];
  return Object.fromEntries(
    keys.map((key) => {
      const values = folds.map((f) => f.test[key]).filter((v) => Number.isFinite(v));
      return [key, { mean: mean(values), std: sampleStd(values), folds: values }];
    }),
  );
}

export interface AblationRun {
  seed: number;
  test: Record<string, number>;
  perUser: PerUser | null;
}

export interface AblationGroup {
  name: string;
  runIds: string[];
  runs: AblationRun[];
}

/**
 * Delta of every test metric of each variant against the base (the first group), pairing runs by
 * seed. For metrics with per-user values the per-user difference is averaged over seeds, then
 * summarised by its mean, a 95% percentile bootstrap interval and a paired t-test; p-values are
 * Holm-corrected across variants, metric by metric.
 */
export function ablationDeltas(groups: AblationGroup[]): { name: string; runIds: string[]; metrics: Record<string, number>; deltas: Record<string, AblationDelta> }[] {
  const [base, ...variants] = groups;
  const meanMetrics = (runs: AblationRun[]) => {
    const keys = [...new Set(runs.flatMap((r) => Object.keys(r.test)))];
    return Object.fromEntries(keys.map((k) => [k, mean(runs.map((r) => r.test[k]))]));
  };
  const baseMetrics = meanMetrics(base.runs);
  const results = variants.map((variant) => {
    const metrics = meanMetrics(variant.runs);
    const deltas: Record<string, AblationDelta> = {};
    for (const key of Object.keys(metrics)) {
      if (!(key in baseMetrics)) continue;
      const perUserDiff = pairedDifferences(base.runs, variant.runs, key);
      if (perUserDiff) {
        const ci = bootstrapMeanCi(perUserDiff, { seed: SUMMARY_BOOTSTRAP_SEED });
        deltas[key] = { delta: metrics[key] - baseMetrics[key], low: ci.low, high: ci.high, p: pairedTTest(perUserDiff, new Float64Array(perUserDiff.length)).p };
      } else {
        deltas[key] = { delta: metrics[key] - baseMetrics[key], low: null, high: null, p: null };
      }
    }
    return { name: variant.name, runIds: variant.runIds, metrics, deltas };
  });
  const keys = [...new Set(results.flatMap((r) => Object.keys(r.deltas)))];
  for (const key of keys) {
    const adjusted = holmAdjust(results.map((r) => r.deltas[key]?.p ?? Number.NaN));
    results.forEach((r, i) => {
      if (r.deltas[key]?.p !== null && r.deltas[key]) r.deltas[key].p = adjusted[i];
    });
  }
  return [{ name: base.name, runIds: base.runIds, metrics: baseMetrics, deltas: {} }, ...results];
}

/** Per-user (variant − base) of `key`, averaged over the seeds both ran; null without per-user values. */
function pairedDifferences(base: AblationRun[], variant: AblationRun[], key: string): Float64Array | null {
  const sums = new Map<number, { sum: number; count: number }>();
  let pairs = 0;
  for (const b of base) {
    const v = variant.find((r) => r.seed === b.seed);
    if (!b.perUser?.values[key] || !v?.perUser?.values[key]) continue;
    const aligned = alignPerUser(v.perUser, b.perUser, key);
    for (let i = 0; i < aligned.users.length; i++) {
      const entry = sums.get(aligned.users[i]) ?? { sum: 0, count: 0 };
      entry.sum += aligned.a[i] - aligned.b[i];
      entry.count++;
      sums.set(aligned.users[i], entry);
    }
    pairs++;
  }
  if (pairs === 0) return null;
  return Float64Array.from([...sums.values()].filter((e) => e.count === pairs).map((e) => e.sum / e.count));
}
