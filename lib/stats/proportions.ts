import { normalQuantile, normalTwoSided } from "./distributions";

export interface TwoProportionTest {
  /** Sample proportions x₁/n₁ and x₂/n₂. */
  p1: number;
  p2: number;
  /** z = (p₁ − p₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)), p̄ the pooled proportion. */
  z: number;
  pValue: number;
  /** Wald interval of p₁ − p₂ with the unpooled variance. */
  ci: [number, number];
}

/**
 * Two-sided two-proportion z test with the pooled variance under H₀ — the same test as R's
 * `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)`, whose X-squared is z². The interval is
 * R's too: p₁ − p₂ ± z₁₋α/₂ √(p₁q₁/n₁ + p₂q₂/n₂). Equal proportions with zero variance (all 0 or
 * all 1) give z = 0, p = 1; empty groups give NaN.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number, level = 0.95): TwoProportionTest {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const difference = p1 - p2;
  const z = se0 > 0 ? difference / se0 : difference === 0 ? 0 : Math.sign(difference) * Infinity;
  const pValue = normalTwoSided(z);
  const half = normalQuantile(0.5 + level / 2) * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return { p1, p2, z, pValue, ci: [difference - half, difference + half] };
}

/**
 * Wilson score interval of a proportion (Wilson 1927; R's `prop.test(x, n, correct = FALSE)$conf.int`):
 * stays inside [0, 1] and behaves at 0 and n successes, unlike the Wald interval.
 */
export function wilsonInterval(successes: number, n: number, level = 0.95): [number, number] {
  if (!(n > 0)) return [NaN, NaN];
  const z = normalQuantile(0.5 + level / 2);
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / (1 + z2n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
