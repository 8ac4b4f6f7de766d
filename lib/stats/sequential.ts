/**
 * Anytime-valid (sequential-safe) inference for a normally distributed estimate: the mixture
 * sequential probability ratio test (mSPRT) of Johari, Pekelis & Walsh, "Always Valid Inference:
 * Continuous Monitoring of A/B Tests" (Operations Research 70(3), 2022; arXiv:1512.04922), with a
 * normal mixing distribution N(θ₀, τ²) over the effect. With θ̂ the estimate and V its variance,
 *   Λ = √(V / (V + τ²)) · exp(τ² (θ̂ − θ₀)² / (2V (V + τ²))),
 * and the set of θ₀ not rejected at level α (Λ < 1/α) is the always-valid interval
 *   θ̂ ± √( V (V + τ²) / τ² · (2 ln(1/α) + ln((V + τ²) / V)) ).
 * It may be looked at after every user without inflating the error rate, at the price of being
 * wider than the fixed-horizon interval. τ² must be fixed before the data are seen (a
 * data-dependent τ breaks the guarantee); it sets the effect size at which the interval is
 * tightest.
 */

/**
 * Default mixing standard deviation on the relative-lift scale: recommendation changes typically
 * move engagement metrics by a few percent to a few tens of percent, so τ = 10% puts the mixture's
 * mass where real effects are (JPW §4 recommend matching τ to the spread of past effects).
 */
export const DEFAULT_LIFT_TAU = 0.1;

/** The always-valid (1 − α) interval of an estimate with variance `variance` (see above). */
export function alwaysValidInterval(estimate: number, variance: number, alpha: number, tau = DEFAULT_LIFT_TAU): [number, number] {
  if (!Number.isFinite(estimate) || !Number.isFinite(variance) || variance < 0) return [NaN, NaN];
  if (variance === 0) return [estimate, estimate];
  const tau2 = tau * tau;
  const half = Math.sqrt(((variance * (variance + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)));
  return [estimate - half, estimate + half];
}

/**
 * The mSPRT's always-valid p-value for H₀: θ = θ₀ at one look, min(1, 1/Λ). Over repeated looks
 * the running minimum of these is the always-valid p-value.
 */
export function mixtureSprtPValue(estimate: number, variance: number, tau = DEFAULT_LIFT_TAU, theta0 = 0): number {
  if (!Number.isFinite(estimate) || !Number.isFinite(variance) || variance < 0) return NaN;
  if (variance === 0) return estimate === theta0 ? 1 : 0;
  const tau2 = tau * tau;
  const logLambda = 0.5 * Math.log(variance / (variance + tau2)) + (tau2 * (estimate - theta0) ** 2) / (2 * variance * (variance + tau2));
  return Math.min(1, Math.exp(-logLambda));
}
