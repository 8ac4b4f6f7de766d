import { CALIBRATION_ALPHA, calibrationKlTerm, itemCategories } from "../metrics/beyond";

/**
 * Dense genre vectors for the re-rankers' inner loops: cosine similarity (MMR) and genre profiles
 * for Steck's calibration KL. Categories and the KL term come from lib/metrics/beyond, so the
 * re-rankers and the evaluator's ILD / miscalibration read genres the same way.
 */

/**
 * Genre vectors of every item, dense row-major (numItems × numGenres). An item without genres
 * has an all-zero row: cosine 0 with every item and no mass in p(g|i).
 */
export interface GenreVectors {
  numGenres: number;
  /** Rows scaled to unit L2 norm (cosine = dot product). */
  unit: Float64Array;
  /** Rows scaled to sum 1: p(g|i) = g_i / |g_i|. */
  share: Float64Array;
}

/** Builds genre vectors from per-item genre lists (genres numbered in first-seen order). */
export function genreVectors(genres: readonly (readonly string[] | null | undefined)[], numItems: number): GenreVectors {
  const categories = itemCategories(genres, numItems, { noneCategory: false });
  const numGenres = categories?.numCategories ?? 0;
  const unit = new Float64Array(numItems * numGenres);
  const share = new Float64Array(numItems * numGenres);
  if (!categories) return { numGenres, unit, share };
  const { indptr, indices } = categories;
  for (let i = 0; i < numItems; i++) {
    const count = indptr[i + 1] - indptr[i];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      unit[i * numGenres + indices[p]] = 1 / Math.sqrt(count);
      share[i * numGenres + indices[p]] = 1 / count;
    }
  }
  return { numGenres, unit, share };
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
 * KL(p ‖ (1 − α)·q + α·p) = Σ_{g: p_g > 0} calibrationKlTerm(p_g, q_g) over dense profiles
 * (Steck, "Calibrated recommendations", RecSys 2018, eq. 5). 0 when p is all zeros.
 */
export function calibrationKl(p: Float64Array, q: Float64Array, numGenres: number, alpha = CALIBRATION_ALPHA): number {
  let kl = 0;
  for (let g = 0; g < numGenres; g++) if (p[g] > 0) kl += calibrationKlTerm(p[g], q[g], alpha);
  return kl;
}
