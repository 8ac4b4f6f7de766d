/**
 * Holm's step-down correction (Holm, "A simple sequentially rejective multiple test procedure",
 * Scand. J. Statistics 1979): sort the m p-values ascending, multiply the i-th (0-based) by
 * m − i, make the sequence non-decreasing and cap at 1. Controls the family-wise error rate
 * without Bonferroni's loss of power. Returns adjusted p-values in the input order; NaN stays NaN
 * and does not count towards m.
 */
export function holmAdjust(pValues: number[]): number[] {
  const idx = pValues.map((p, i) => ({ p, i })).filter((e) => !Number.isNaN(e.p)).sort((a, b) => a.p - b.p);
  const m = idx.length;
  const adjusted = pValues.map(() => NaN);
  let running = 0;
  idx.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
