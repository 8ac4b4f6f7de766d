import type { Estimate } from "./estimate";

/**
 * Ratio metric Σ num / Σ den over independent units (users), e.g. CTR = clicks / impressions
 * with the user as the unit, and its variance by the delta method (Deng, Knoblich & Lu, "Applying
 * the Delta Method in Metric Analytics", KDD 2018, §3.3):
 *   Var(R̂) ≈ (s_num² − 2 R s_num,den + R² s_den²) / (n · d̄²),
 * with sample (n − 1) variances and covariance over users. Clicks of one user are correlated, so
 * treating impressions as independent (a binomial test) would understate the variance.
 * Value NaN when there are no units or Σ den = 0; variance NaN below two units.
 */
export function ratioEstimate(numerator: ArrayLike<number>, denominator: ArrayLike<number>): Estimate {
  const n = numerator.length;
  let sumNum = 0;
  let sumDen = 0;
  for (let i = 0; i < n; i++) {
    sumNum += numerator[i];
    sumDen += denominator[i];
  }
  if (n === 0 || sumDen === 0) return { value: NaN, variance: NaN, n };
  const ratio = sumNum / sumDen;
  if (n < 2) return { value: ratio, variance: NaN, n };
  const meanNum = sumNum / n;
  const meanDen = sumDen / n;
  // Σ (num − R·den)² is the linearised residual: s_num² − 2R s_num,den + R² s_den² times (n − 1).
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const residual = numerator[i] - meanNum - ratio * (denominator[i] - meanDen);
    ss += residual * residual;
  }
  return { value: ratio, variance: ss / (n - 1) / (n * meanDen * meanDen), n };
}

export interface RelativeLift {
  /** treatment / control − 1. */
  lift: number;
  /** Standard error of the lift by the delta method. */
  se: number;
}

/**
 * Relative lift of two independent estimates and its delta-method standard error (the ratio of
 * means; Deng et al. 2018, §3.4; GrowthBook's frequentist engine does the same):
 *   Var(T / C) ≈ v_T / C² + T² v_C / C⁴.
 * NaN when the control value is 0 or undefined (a relative change from nothing has no meaning).
 */
export function relativeLift(control: Estimate, treatment: Estimate): RelativeLift {
  const c = control.value;
  const t = treatment.value;
  if (!Number.isFinite(c) || !Number.isFinite(t) || c === 0) return { lift: NaN, se: NaN };
  const variance = treatment.variance / (c * c) + (t * t * control.variance) / (c * c * c * c);
  return { lift: t / c - 1, se: Math.sqrt(variance) };
}
