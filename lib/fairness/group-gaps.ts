import { badInput } from "../errors";
import { Rng } from "../util/rng";

/**
 * Metric gaps across user groups (gender, age band, activity): per-group means of a per-user
 * metric and a permutation test on the difference of two groups' means. Definitions follow
 * /work/shared/refs/ref_beyond.py (`perm_test`, README "Group gaps").
 */

export interface GroupMean {
  group: string;
  /** Mean of the group's values. */
  mean: number;
  /** Users in the group. */
  n: number;
}

/**
 * Mean of `values[j]` per group `labels[j]`, groups in ascending label order. Users without a
 * label (null) or with an undefined value (NaN) are left out.
 */
export function groupMeans(values: ArrayLike<number>, labels: readonly (string | null)[]): GroupMean[] {
  if (values.length !== labels.length) throw badInput(`${values.length} values for ${labels.length} group labels`);
  const sums = new Map<string, { sum: number; n: number }>();
  for (let j = 0; j < values.length; j++) {
    const label = labels[j];
    if (label === null || values[j] !== values[j]) continue;
    const s = sums.get(label) ?? { sum: 0, n: 0 };
    s.sum += values[j];
    s.n++;
    sums.set(label, s);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, s]) => ({ group, mean: s.sum / s.n, n: s.n }));
}

export interface GroupGapTest {
  /** mean(a) − mean(b). */
  gap: number;
  /** Two-sided permutation p-value. */
  p: number;
  na: number;
  nb: number;
  permutations: number;
}

export interface PermutationOptions {
  /** Default 10,000. */
  permutations?: number;
  /** Default 42. */
  seed?: number;
}

/**
 * Two-sided permutation test on the difference of group means, gap = mean(a) − mean(b), over the
 * users labelled `a` or `b` (NaN values left out): the labels are shuffled `permutations` times
 * and p = (1 + #{|gap_perm| ≥ |gap_obs|}) / (1 + permutations), so p is never 0. Seeded.
 * Reference: Good, "Permutation, Parametric and Bootstrap Tests of Hypotheses", 3rd ed. (2005),
 * §3; the (1 + #) / (1 + N) estimate from Phipson & Smyth, "Permutation p-values should never be
 * zero", Stat. Appl. Genet. Mol. Biol. 9(1), 2010.
 */
export function groupGapTest(values: ArrayLike<number>, labels: readonly (string | null)[], a: string, b: string, options: PermutationOptions = {}): GroupGapTest {
  const { permutations = 10_000, seed = 42 } = options;
  if (values.length !== labels.length) throw badInput(`${values.length} values for ${labels.length} group labels`);
  if (!Number.isInteger(permutations) || permutations < 1) throw badInput(`permutations must be a positive integer, got ${permutations}`);
  // Pooled values, group a first.
  const inA: number[] = [];
  const inB: number[] = [];
  for (let j = 0; j < values.length; j++) {
    if (values[j] !== values[j]) continue;
    if (labels[j] === a) inA.push(values[j]);
    else if (labels[j] === b) inB.push(values[j]);
  }
  const na = inA.length, nb = inB.length;
  if (na === 0 || nb === 0) throw badInput(`group "${na === 0 ? a : b}" has no users with a value`, { a, b });
  const pooled = Float64Array.from([...inA, ...inB]);
  let total = 0;
  for (const v of pooled) total += v;
  const gapOf = (sumA: number) => sumA / na - (total - sumA) / nb;
  let sumA = 0;
  for (let j = 0; j < na; j++) sumA += pooled[j];
  const observed = Math.abs(gapOf(sumA));

  const rng = new Rng(seed);
  const n = pooled.length;
  let extreme = 0;
  for (let t = 0; t < permutations; t++) {
    // A partial Fisher–Yates shuffle draws a uniformly random group a into pooled[0 .. na).
    let s = 0;
    for (let i = 0; i < na; i++) {
      const j = i + rng.int(n - i);
      const tmp = pooled[i];
      pooled[i] = pooled[j];
      pooled[j] = tmp;
      s += pooled[i];
    }
    // The same tolerance as the reference, so exact ties of the gap count as extreme.
    if (Math.abs(gapOf(s)) >= observed - 1e-12) extreme++;
  }
  return { gap: gapOf(sumA), p: (1 + extreme) / (1 + permutations), na, nb, permutations };
}
