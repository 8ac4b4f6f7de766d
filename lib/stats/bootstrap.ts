import { Rng } from "../util/rng";
import { mean } from "./summary";

export interface BootstrapOptions {
  /** Coverage of the interval, default 0.95. */
  level?: number;
  /** Number of resamples, default 2000. */
  resamples?: number;
  seed?: number;
}

export interface ConfidenceInterval {
  estimate: number;
  low: number;
  high: number;
  level: number;
}

/**
 * Percentile bootstrap confidence interval of the mean (Efron & Tibshirani, "An Introduction to
 * the Bootstrap", 1993, ch. 13): resample with replacement `resamples` times, take the
 * (1 − level)/2 and (1 + level)/2 quantiles of the resampled means. Seeded: the same values and
 * seed give the same interval. For paired data pass the per-user differences.
 */
export function bootstrapMeanCi(values: ArrayLike<number>, options: BootstrapOptions = {}): ConfidenceInterval {
  const level = options.level ?? 0.95;
  const resamples = options.resamples ?? 2000;
  const n = values.length;
  const estimate = mean(values);
  if (n === 0) return { estimate, low: NaN, high: NaN, level };
  const rng = new Rng(options.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[rng.int(n)];
    means[r] = sum / n;
  }
  means.sort();
  return { estimate, low: quantile(means, (1 - level) / 2), high: quantile(means, (1 + level) / 2), level };
}

/** Linear-interpolated quantile of sorted values (type 7, as R and NumPy default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
