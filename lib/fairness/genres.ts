/**
 * Item genre vectors and the two genre measures the re-rankers and their trade-off curves need:
 * cosine similarity (MMR, intra-list diversity) and Steck's calibration KL with mixing α.
 * Local to lib/fairness for now; lib/metrics' beyond-accuracy metrics define the same measures
 * and the two are meant to be unified (one genre-vector module, one KL).
 */

/** Steck (2018)'s α: KL(p ‖ (1 − α)·q + α·p) stays finite when q misses a genre of p. */
export const CALIBRATION_ALPHA = 0.01;

/**
 * Genre vectors of every item, dense row-major (numItems × numGenres). An item without genres
 * has an all-zero row: cosine 0 with every item and no mass in p(g|i).
 */
export interface GenreVectors {
  names: string[];
  numGenres: number;
  /** Rows scaled to unit L2 norm (cosine = dot product). */
  unit: Float64Array;
  /** Rows scaled to sum 1: p(g|i) = g_i / |g_i|. */
  share: Float64Array;
}

/** Builds genre vectors from per-item genre lists (genres in first-seen order). */
export function genreVectors(genres: readonly (readonly string[] | null | undefined)[], numItems: number): GenreVectors {
  const index = new Map<string, number>();
  for (let i = 0; i < numItems; i++) for (const g of genres[i] ?? []) if (!index.has(g)) index.set(g, index.size);
  const numGenres = index.size;
  const unit = new Float64Array(numItems * numGenres);
  const share = new Float64Array(numItems * numGenres);
  for (let i = 0; i < numItems; i++) {
    const row = i * numGenres;
    for (const g of genres[i] ?? []) unit[row + index.get(g)!] = 1;
    let count = 0;
    for (let g = 0; g < numGenres; g++) count += unit[row + g];
    if (count === 0) continue;
    const norm = Math.sqrt(count);
    for (let g = 0; g < numGenres; g++) {
      share[row + g] = unit[row + g] / count;
      unit[row + g] /= norm;
    }
  }
  return { names: [...index.keys()], numGenres, unit, share };
}

/** cos(g_a, g_b); 0 when either item has no genres. */
export function genreCosine(v: GenreVectors, a: number, b: number): number {
  const n = v.numGenres;
  const ra = a * n;
  const rb = b * n;
  let dot = 0;
  for (let g = 0; g < n; g++) dot += v.unit[ra + g] * v.unit[rb + g];
  return dot;
}

/**
 * Writes p_u = mean over `items` of p(g|i) into `out` (length numGenres). Items without genres
 * count in the mean with zero mass, as in the reference; an empty list gives all zeros.
 */
export function genreProfile(v: GenreVectors, items: ArrayLike<number>, count: number, out: Float64Array): void {
  const n = v.numGenres;
  out.fill(0, 0, n);
  for (let p = 0; p < count; p++) {
    const row = items[p] * n;
    for (let g = 0; g < n; g++) out[g] += v.share[row + g];
  }
  if (count > 0) for (let g = 0; g < n; g++) out[g] /= count;
}

/**
 * KL(p ‖ (1 − α)·q + α·p) = Σ_{g: p_g > 0} p_g·ln(p_g / ((1 − α)·q_g + α·p_g)), natural log
 * (Steck, "Calibrated recommendations", RecSys 2018, eq. 5). 0 when p is all zeros.
 */
export function calibrationKl(p: Float64Array, q: Float64Array, numGenres: number, alpha = CALIBRATION_ALPHA): number {
  let kl = 0;
  for (let g = 0; g < numGenres; g++) if (p[g] > 0) kl += klTerm(p[g], q[g], alpha);
  return kl;
}

/** One genre's term of calibrationKl: p·ln(p / ((1 − α)·q + α·p)), for p > 0. */
export function klTerm(p: number, q: number, alpha = CALIBRATION_ALPHA): number {
  return p * Math.log(p / ((1 - alpha) * q + alpha * p));
}
