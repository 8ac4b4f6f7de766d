import { mean } from "./summary";

/**
 * A point estimate with the variance of its sampling distribution and the number of
 * independent units (users) behind it: what every A/B comparison is built from.
 */
export interface Estimate {
  value: number;
  variance: number;
  n: number;
}

/** Sample mean of one value per unit, with variance s² / n (NaN below two units). */
export function meanEstimate(values: ArrayLike<number>): Estimate {
  const n = values.length;
  const m = mean(values);
  if (n < 2) return { value: m, variance: NaN, n };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - m) ** 2;
  return { value: m, variance: ss / (n - 1) / n, n };
}

/** Share of units with a non-zero flag, with the binomial variance p(1 − p) / n. */
export function proportionEstimate(successes: number, n: number): Estimate {
  if (n <= 0) return { value: NaN, variance: NaN, n: 0 };
  const p = successes / n;
  return { value: p, variance: (p * (1 - p)) / n, n };
}

/**
 * Welch–Satterthwaite degrees of freedom of the difference of two independent estimates
 * (Welch 1947): (v₁ + v₂)² / (v₁² / (n₁ − 1) + v₂² / (n₂ − 1)). Infinity when both variances are 0.
 */
export function welchDegreesOfFreedom(a: Estimate, b: Estimate): number {
  const denominator = a.variance ** 2 / (a.n - 1) + b.variance ** 2 / (b.n - 1);
  if (denominator === 0) return Infinity;
  return (a.variance + b.variance) ** 2 / denominator;
}
