import { Rng } from "@/lib/util/rng";

/** A random SPD matrix XᵀX + ridge·I (X: 2n × n normal), row-major float64. */
export function randomSpd(n: number, seed: number, ridge = 0.5): Float64Array {
  const rng = new Rng(seed);
  const m = 2 * n;
  const x = Float64Array.from({ length: m * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let u = 0; u < m; u++) s += x[u * n + i] * x[u * n + j];
      a[i * n + j] = a[j * n + i] = s + (i === j ? ridge : 0);
    }
  }
  return a;
}

/** The largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
