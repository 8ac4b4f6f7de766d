/**
 * How many models two orderings agree on: the size of the largest set of models that both
 * orderings rank in the same relative order (the longest common subsequence of the two rankings).
 * 4 of 4 = identical orderings; 3 of 4 = dropping one model makes them identical (e.g. one
 * adjacent pair swapped). Used to check the simulator against offline metrics: models ordered by
 * simulated CTR vs by offline NDCG@10. Ties are broken by the models' given order.
 */
export function orderAgreement(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`${a.length} values against ${b.length}`);
  const byValue = (v: readonly number[]) => v.map((_, i) => i).sort((i, j) => v[j] - v[i] || i - j);
  const x = byValue(a);
  const y = byValue(b);
  const n = x.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = 1; i <= n; i++) for (let j = 1; j <= n; j++) lcs[i][j] = x[i - 1] === y[j - 1] ? lcs[i - 1][j - 1] + 1 : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
  return lcs[n][n];
}
