import type { AbMetricId, ArmTotals } from "../simulation/types";
import { ratioEstimate } from "./delta-method";
import { proportionEstimate, type Estimate } from "./estimate";

/**
 * The metrics of an A/B test, each computed per arm from per-user totals (the user is the
 * randomisation unit). Ratio metrics are ratios of sums over users with delta-method variances
 * and Welch t tests; rate metrics are shares of users with two-proportion z tests.
 *
 * Guardrails (must not get worse; shown apart): dwell time per click — a ranking that buys clicks
 * with click-bait shows up as shorter dwell — and the return rate, the long-term health signal
 * a short test can otherwise miss. CTR, clicks per session and conversion are the goal metrics.
 */
export interface AbMetricSpec {
  id: Exclude<AbMetricId, "coverage">;
  label: string;
  /** How the verdict names it in a sentence. */
  phrase: string;
  higherIsBetter: boolean;
  guardrail: boolean;
  kind: "ratio" | "proportion";
  test: string;
  /** Per-arm estimate; `successes` for proportions. `missing` says why there is none. */
  estimate(arm: ArmTotals): { estimate: Estimate; successes?: number; missing?: string };
}

function ratio(
  numerator: (a: ArmTotals) => Float64Array,
  denominator: (a: ArmTotals) => Float64Array,
  zeroDenominator: string,
): AbMetricSpec["estimate"] {
  return (arm) => {
    const estimate = ratioEstimate(numerator(arm), denominator(arm));
    if (estimate.n === 0) return { estimate, missing: "no users" };
    if (Number.isNaN(estimate.value)) return { estimate, missing: zeroDenominator };
    return { estimate };
  };
}

function share(flag: (a: ArmTotals, user: number) => boolean): AbMetricSpec["estimate"] {
  return (arm) => {
    const n = arm.impressions.length;
    let successes = 0;
    for (let u = 0; u < n; u++) if (flag(arm, u)) successes++;
    const estimate = proportionEstimate(successes, n);
    return n === 0 ? { estimate, successes, missing: "no users" } : { estimate, successes };
  };
}

const RATIO_TEST = "Welch t (delta method)";
const PROPORTION_TEST = "two-proportion z";

export const AB_METRICS: readonly AbMetricSpec[] = [
  {
    id: "ctr",
    label: "CTR (clicks / impressions)",
    phrase: "CTR",
    higherIsBetter: true,
    guardrail: false,
    kind: "ratio",
    test: `${RATIO_TEST}, user-level ratio`,
    estimate: ratio((a) => a.clicks, (a) => a.impressions, "no impressions"),
  },
  {
    id: "clicks_per_session",
    label: "Clicks per session",
    phrase: "clicks per session",
    higherIsBetter: true,
    guardrail: false,
    kind: "ratio",
    test: `${RATIO_TEST}, ratio of sums`,
    estimate: ratio((a) => a.clicks, (a) => a.visits, "no sessions"),
  },
  {
    id: "dwell_mean",
    label: "Dwell time per click (s)",
    phrase: "dwell time per click",
    higherIsBetter: true,
    guardrail: true,
    kind: "ratio",
    test: `${RATIO_TEST}, ratio of sums`,
    estimate: ratio((a) => a.dwellSeconds, (a) => a.clicks, "no clicks"),
  },
  {
    id: "conversion",
    label: "Conversion rate (users who converted)",
    phrase: "conversion rate",
    higherIsBetter: true,
    guardrail: false,
    kind: "proportion",
    test: PROPORTION_TEST,
    estimate: share((a, u) => a.conversions[u] > 0),
  },
  {
    id: "return_rate",
    label: "Return rate (users who came back)",
    phrase: "return rate",
    higherIsBetter: true,
    guardrail: true,
    kind: "proportion",
    test: PROPORTION_TEST,
    estimate: share((a, u) => a.returned[u] !== 0),
  },
];
