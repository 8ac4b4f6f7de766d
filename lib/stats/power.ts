import { normalQuantile } from "./distributions";

export interface SampleSizeInput {
  /** Control's rate (e.g. CTR or conversion), in (0, 1). */
  baselineRate: number;
  /** Relative lift to detect, e.g. 0.05 for +5%. */
  relativeLift: number;
  /** Family-wise significance level, two-sided; default 0.05. */
  alpha?: number;
  /** Probability of detecting the lift; default 0.8. */
  power?: number;
  /** Arms including control; default 2. */
  arms?: number;
}

export interface SampleSizePlan {
  usersPerArm: number;
  totalUsers: number;
  /** Level each treatment-vs-control test is run at: α / (arms − 1) (Bonferroni). */
  alphaPerComparison: number;
}

/** Bonferroni share of α per treatment arm: each is compared with control once. */
function comparisonAlpha(alpha: number, arms: number): number {
  return alpha / Math.max(1, arms - 1);
}

/**
 * Users per arm for a two-sided two-proportion z test, the formula of R's `power.prop.test`
 * (strict = FALSE; Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions", §4.2):
 *   n = (z₁₋α/₂ √(2 p̄ q̄) + z₁₋β √(p₁q₁ + p₂q₂))² / (p₁ − p₂)²,  p̄ = (p₁ + p₂) / 2.
 * Several treatment arms split α by Bonferroni. Unreachable plans (a lift that takes the rate
 * outside (0, 1), or a zero lift) throw a RangeError with the reason.
 */
export function requiredUsersPerArm(input: SampleSizeInput): SampleSizePlan {
  const { p1, p2, zAlpha, zBeta, alphaPerComparison, arms } = resolve(input);
  const usersPerArm = Math.ceil(usersForRates(p1, p2, zAlpha, zBeta));
  return { usersPerArm, totalUsers: usersPerArm * arms, alphaPerComparison };
}

/** The power.prop.test formula above, unrounded. */
function usersForRates(p1: number, p2: number, zAlpha: number, zBeta: number): number {
  const pBar = (p1 + p2) / 2;
  const root = zAlpha * Math.sqrt(2 * pBar * (1 - pBar)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return (root * root) / ((p1 - p2) * (p1 - p2));
}

function resolve(input: SampleSizeInput) {
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  const arms = input.arms ?? 2;
  const p1 = input.baselineRate;
  const p2 = p1 * (1 + input.relativeLift);
  if (!(p1 > 0 && p1 < 1)) throw new RangeError(`the baseline rate must be between 0 and 1, got ${p1}`);
  if (!(p2 > 0 && p2 < 1)) throw new RangeError(`a ${(input.relativeLift * 100).toFixed(1)}% lift takes the rate to ${p2}, outside (0, 1)`);
  if (p1 === p2) throw new RangeError("a lift of 0 cannot be detected");
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) throw new RangeError("alpha and power must be between 0 and 1");
  if (!Number.isInteger(arms) || arms < 2) throw new RangeError("an A/B test has at least 2 arms");
  const alphaPerComparison = comparisonAlpha(alpha, arms);
  return { p1, p2, arms, alphaPerComparison, zAlpha: normalQuantile(1 - alphaPerComparison / 2), zBeta: normalQuantile(power) };
}

export interface MdeInput {
  baselineRate: number;
  usersPerArm: number;
  alpha?: number;
  power?: number;
  arms?: number;
}

/**
 * The inverse: the smallest relative lift (upwards) that `usersPerArm` users per arm detect with
 * the given power — the lift at which requiredUsersPerArm equals usersPerArm, found by bisection
 * (n falls monotonically as p₂ moves away from p₁). null when even a rate of ~1 is not enough.
 */
export function minimumDetectableLift(input: MdeInput): { relativeLift: number; absoluteLift: number } | null {
  const p1 = input.baselineRate;
  if (!(p1 > 0 && p1 < 1)) throw new RangeError(`the baseline rate must be between 0 and 1, got ${p1}`);
  if (!(input.usersPerArm >= 1)) throw new RangeError("at least one user per arm is needed");
  const users = (p2: number) => {
    const { zAlpha, zBeta } = resolve({ ...input, relativeLift: p2 / p1 - 1 });
    return usersForRates(p1, p2, zAlpha, zBeta);
  };
  let lo = p1;
  let hi = 1 - 1e-9;
  if (users(hi) > input.usersPerArm) return null;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * p1; i++) {
    const mid = (lo + hi) / 2;
    if (users(mid) > input.usersPerArm) lo = mid;
    else hi = mid;
  }
  return { relativeLift: hi / p1 - 1, absoluteLift: hi - p1 };
}
