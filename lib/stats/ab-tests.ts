import type { AbAnalysis, AbArmValue, AbComparison, AbMetricRow, ArmTotals } from "../simulation/types";
import { AB_METRICS, type AbMetricSpec } from "./ab-metrics";
import { abVerdict } from "./ab-verdict";
import { relativeLift } from "./delta-method";
import { normalQuantile, studentTQuantile } from "./distributions";
import { holmAdjust } from "./multiple-testing";
import { minimumDetectableLift, requiredUsersPerArm, type MdeInput, type SampleSizeInput } from "./power";
import { twoProportionZTest, wilsonInterval } from "./proportions";
import { alwaysValidInterval, DEFAULT_LIFT_TAU } from "./sequential";
import { sampleRatioCheck } from "./srm";
import { welchFromEstimates } from "./welch";

export interface AbAnalysisOptions {
  /** Expected share of users per arm (the recorded assignment ratio), summing to 1. */
  expectedShares: number[];
  /** Family-wise error rate of the Holm correction; CIs are at level 1 − alpha. Default 0.05. */
  alpha?: number;
  /** Add anytime-valid (sequential-safe) intervals. */
  sequential?: boolean;
  /** Mixing standard deviation of the mSPRT on the relative-lift scale (lib/stats/sequential.ts). */
  sequentialTau?: number;
}

/**
 * Every metric per arm with CIs, lifts against arm 0 (control), Holm, SRM and the verdict.
 * Metrics and their tests are listed in lib/stats/ab-metrics.ts; catalogue coverage is added
 * (value only, no test) when every arm knows its catalogue size. Degenerate arms (no users, no
 * impressions, one user) give `missing` values and comparisons with a reason, never NaN.
 */
export function analyzeAbTest(arms: ArmTotals[], options: AbAnalysisOptions): AbAnalysis {
  const alpha = options.alpha ?? 0.05;
  if (arms.length < 2) throw new RangeError(`an A/B test needs at least 2 arms, got ${arms.length}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
  const users = arms.map((a) => a.impressions.length);
  const srm = sampleRatioCheck(users, options.expectedShares);
  const shareSum = options.expectedShares.reduce((a, b) => a + b, 0);
  const tau = options.sequential ? (options.sequentialTau ?? DEFAULT_LIFT_TAU) : null;

  const metrics: AbMetricRow[] = AB_METRICS.map((spec) => metricRow(spec, arms, alpha, tau));
  applyHolm(metrics, alpha);
  const coverage = coverageRow(arms);
  if (coverage) metrics.push(coverage);

  const analysis = {
    alpha,
    controlArmId: arms[0].armId,
    arms: arms.map((a, i) => ({ armId: a.armId, label: a.label, users: users[i], expectedShare: options.expectedShares[i] / shareSum })),
    metrics,
    srm,
  };
  return { ...analysis, verdict: abVerdict(analysis) };
}

/** Power at which a comparison's minimum detectable lift is stated (the usual planning value). */
const MDE_POWER = 0.8;

type ArmEstimate = ReturnType<AbMetricSpec["estimate"]>;

function metricRow(spec: AbMetricSpec, arms: ArmTotals[], alpha: number, tau: number | null): AbMetricRow {
  const perArm = arms.map((arm) => spec.estimate(arm));
  const comparisons = perArm.slice(1).map((treatment, i) => compare(spec, arms[0], perArm[0], arms[i + 1], treatment, alpha, tau));
  return {
    metricId: spec.id,
    label: spec.label,
    higherIsBetter: spec.higherIsBetter,
    guardrail: spec.guardrail,
    arms: perArm.map((e, i) => armValue(spec, arms[i].armId, e, alpha)),
    comparisons,
  };
}

/** The arm's value with its (1 − α) CI: Wilson for rates, normal (delta method) for ratios. */
function armValue(spec: AbMetricSpec, armId: string, e: ArmEstimate, alpha: number): AbArmValue {
  if (e.missing) return { armId, value: 0, ci: null, missing: e.missing };
  const { value, variance, n } = e.estimate;
  if (spec.kind === "proportion") return { armId, value, ci: wilsonInterval(e.successes ?? 0, n, 1 - alpha) };
  if (!Number.isFinite(variance)) return { armId, value, ci: null };
  const half = normalQuantile(1 - alpha / 2) * Math.sqrt(variance);
  return { armId, value, ci: [Math.max(0, value - half), value + half] };
}

/** Treatment against control: p-value of the metric's test, delta-method lift CI (Holm later). */
function compare(
  spec: AbMetricSpec,
  controlArm: ArmTotals,
  control: ArmEstimate,
  treatmentArm: ArmTotals,
  treatment: ArmEstimate,
  alpha: number,
  tau: number | null,
): AbComparison {
  const armId = treatmentArm.armId;
  if (control.missing) return placeholder(armId, spec.test, `${controlArm.label}: ${control.missing}`);
  if (treatment.missing) return placeholder(armId, spec.test, `${treatmentArm.label}: ${treatment.missing}`);
  let pValue: number;
  let quantile: number;
  if (spec.kind === "proportion") {
    pValue = twoProportionZTest(treatment.successes ?? 0, treatment.estimate.n, control.successes ?? 0, control.estimate.n).pValue;
    quantile = normalQuantile(1 - alpha / 2);
  } else {
    const w = welchFromEstimates(treatment.estimate, control.estimate);
    pValue = w.pValue;
    quantile = Number.isFinite(w.df) ? studentTQuantile(1 - alpha / 2, w.df) : normalQuantile(1 - alpha / 2);
  }
  if (Number.isNaN(pValue)) return placeholder(armId, spec.test, "too few users for a test");
  const { lift, se } = relativeLift(control.estimate, treatment.estimate);
  if (Number.isNaN(lift)) return placeholder(armId, spec.test, `${controlArm.label}'s ${spec.phrase} is 0, so a relative lift is undefined`);
  const half = se > 0 ? quantile * se : 0;
  const comparison: AbComparison = { armId, lift, liftCi: [lift - half, lift + half], pValue, pAdjusted: pValue, significant: false, test: spec.test };
  const mde = ((normalQuantile(1 - alpha / 2) + normalQuantile(MDE_POWER)) * Math.sqrt(control.estimate.variance + treatment.estimate.variance)) / Math.abs(control.estimate.value);
  if (Number.isFinite(mde)) comparison.minimumDetectableLift = mde;
  if (tau !== null) comparison.sequentialCi = alwaysValidInterval(lift, se * se, alpha, tau);
  return comparison;
}

function placeholder(armId: string, test: string, missing: string): AbComparison {
  return { armId, lift: 0, liftCi: [0, 0], pValue: 1, pAdjusted: 1, significant: false, test, missing };
}

/** Holm across every metric × treatment arm that has a test; placeholders stay at p = 1. */
function applyHolm(metrics: AbMetricRow[], alpha: number): void {
  const all = metrics.flatMap((m) => m.comparisons);
  const adjusted = holmAdjust(all.map((c) => (c.missing ? NaN : c.pValue)));
  all.forEach((c, i) => {
    if (c.missing) return;
    c.pAdjusted = adjusted[i];
    c.significant = adjusted[i] < alpha;
  });
}

/** Share of the catalogue each arm showed: a descriptive value with no CI and no test. */
function coverageRow(arms: ArmTotals[]): AbMetricRow | null {
  if (!arms.every((a) => a.catalogueSize > 0)) return null;
  return {
    metricId: "coverage",
    label: "Catalogue coverage",
    higherIsBetter: true,
    guardrail: false,
    arms: arms.map((a) => ({ armId: a.armId, value: a.distinctItemsShown / a.catalogueSize, ci: null })),
    comparisons: [],
  };
}

/** Users per arm needed to detect a relative lift of a rate metric with the given power. */
export function planSampleSize(input: SampleSizeInput): { usersPerArm: number; totalUsers: number; alphaPerComparison: number } {
  return requiredUsersPerArm(input);
}

/** The smallest relative lift of a rate metric `usersPerArm` users per arm detect (null: none). */
export function planMinimumDetectableLift(input: MdeInput): { relativeLift: number; absoluteLift: number } | null {
  return minimumDetectableLift(input);
}
