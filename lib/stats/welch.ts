import { studentTQuantile, studentTTwoSided } from "./distributions";
import { meanEstimate, welchDegreesOfFreedom, type Estimate } from "./estimate";

export interface WelchTest {
  /** Difference of the means, x̄ − ȳ. */
  difference: number;
  t: number;
  df: number;
  pValue: number;
  ci: [number, number];
}

/**
 * Welch's unequal-variance t test of two independent samples, two-sided: the same as R's
 * `t.test(x, y)` (var.equal = FALSE is R's default). See welchFromEstimates.
 */
export function welchTTest(x: ArrayLike<number>, y: ArrayLike<number>, level = 0.95): WelchTest {
  return welchFromEstimates(meanEstimate(x), meanEstimate(y), level);
}

/**
 * Welch's t test on two estimates with known sampling variances (sample means, or ratio
 * metrics linearised by the delta method): t = (a − b) / √(v_a + v_b) with Welch–Satterthwaite
 * degrees of freedom. Zero variance on both sides gives p = 1 for equal values and 0 otherwise.
 */
export function welchFromEstimates(a: Estimate, b: Estimate, level = 0.95): WelchTest {
  const difference = a.value - b.value;
  const se = Math.sqrt(a.variance + b.variance);
  const df = welchDegreesOfFreedom(a, b);
  if (!Number.isFinite(difference) || Number.isNaN(se) || Number.isNaN(df)) {
    return { difference, t: NaN, df, pValue: NaN, ci: [NaN, NaN] };
  }
  if (se === 0) {
    const t = difference === 0 ? 0 : Math.sign(difference) * Infinity;
    return { difference, t, df, pValue: difference === 0 ? 1 : 0, ci: [difference, difference] };
  }
  const t = difference / se;
  const half = studentTQuantile(0.5 + level / 2, df) * se;
  return { difference, t, df, pValue: studentTTwoSided(t, df), ci: [difference - half, difference + half] };
}
