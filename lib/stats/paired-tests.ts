import { normalCdf, studentTTwoSided } from "./distributions";
import { mean, sampleStd } from "./summary";

/** A two-sided paired test of a − b (one pair per user). */
export interface PairedTestResult {
  /** Number of pairs used (Wilcoxon: non-zero differences). */
  n: number;
  /** Mean of a − b over all pairs. */
  meanDifference: number;
  statistic: number;
  p: number;
}

export interface TTestResult extends PairedTestResult {
  df: number;
}

export interface WilcoxonResult extends PairedTestResult {
  /** exact: the null distribution of W+ enumerated; normal: approximation with tie and continuity correction. */
  method: "exact" | "normal";
}

function differences(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in length (${a.length} vs ${b.length})`);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  return d;
}

/**
 * Paired (dependent-samples) Student t-test: t = d̄ / (s_d / √n) with n − 1 degrees of freedom
 * (Student, "The probable error of a mean", Biometrika 1908). Two-sided.
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): TTestResult {
  const d = differences(a, b);
  const n = d.length;
  const m = mean(d);
  if (n < 2) return { n, meanDifference: m, statistic: NaN, df: n - 1, p: NaN };
  const sd = sampleStd(d);
  if (sd === 0) return { n, meanDifference: m, statistic: m === 0 ? 0 : Math.sign(m) * Infinity, df: n - 1, p: m === 0 ? 1 : 0 };
  const t = m / (sd / Math.sqrt(n));
  return { n, meanDifference: m, statistic: t, df: n - 1, p: studentTTwoSided(t, n - 1) };
}

/** Largest n for which the exact null distribution is used (without ties or zeros). */
export const WILCOXON_EXACT_MAX_N = 50;

/**
 * Wilcoxon signed-rank test on a − b (Wilcoxon, "Individual comparisons by ranking methods",
 * Biometrics Bulletin 1945). Zero differences are dropped; |d| is ranked with average ranks for
 * ties; the statistic is W+, the sum of the ranks of positive differences. Without ties or zeros
 * and n <= 50 the two-sided p-value is exact; otherwise the normal approximation with the tie
 * correction of the variance and a continuity correction (as R's wilcox.test).
 */
export function wilcoxonSignedRank(a: ArrayLike<number>, b: ArrayLike<number>): WilcoxonResult {
  const all = differences(a, b);
  const meanDifference = mean(all);
  // Per-user metrics are float32: differences within rounding noise count as equal.
  const round = (x: number) => Number(x.toPrecision(10));
  const d = Array.from(all, round).filter((x) => x !== 0);
  const hadZeros = d.length !== all.length;
  const n = d.length;
  if (n === 0) return { n, meanDifference, statistic: 0, p: 1, method: "exact" };
  const order = d.map((x, i) => ({ abs: Math.abs(x), i })).sort((x, y) => x.abs - y.abs);
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && order[end + 1].abs === order[start].abs) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k].i] = rank;
    const t = end - start + 1;
    tieTerm += t * t * t - t;
    start = end + 1;
  }
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (d[i] > 0) wPlus += ranks[i];

  if (tieTerm === 0 && !hadZeros && n <= WILCOXON_EXACT_MAX_N) {
    const counts = signedRankCounts(n);
    const total = 2 ** n;
    const w = Math.round(wPlus);
    let lower = 0;
    for (let s = 0; s <= w; s++) lower += counts[s];
    let upper = 0;
    for (let s = w; s < counts.length; s++) upper += counts[s];
    const p = Math.min(1, (2 * Math.min(lower, upper)) / total);
    return { n, meanDifference, statistic: wPlus, p, method: "exact" };
  }
  const expected = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const diff = wPlus - expected;
  const z = variance > 0 ? (diff - Math.sign(diff) * 0.5) / Math.sqrt(variance) : 0;
  const p = Math.min(1, 2 * Math.min(normalCdf(z), 1 - normalCdf(z)));
  return { n, meanDifference, statistic: wPlus, p, method: "normal" };
}

/** counts[s] = number of subsets of {1..n} whose sum is s (the null distribution of W+ times 2^n). */
function signedRankCounts(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    for (let s = max; s >= k; s--) counts[s] += counts[s - k];
  }
  return counts;
}
