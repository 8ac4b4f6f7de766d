import type { Rng } from "../../util/rng";

/**
 * Dense embedding tables shared by the factor models (biased MF, BPR-MF): row-major
 * Float32Arrays, `rows × dim`, so one user's or item's factors are a contiguous slice.
 */

/** A `rows × dim` table drawn from N(0, std²) with the given generator. */
export function randomFactors(rows: number, dim: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * std;
  return out;
}

/** Dot product of the `dim`-long rows starting at `aOffset` in `a` and `bOffset` in `b`. */
export function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dim: number): number {
  let s = 0;
  for (let f = 0; f < dim; f++) s += a[aOffset + f] * b[bOffset + f];
  return s;
}

/** The terms of a factor model's score: `global + userBias[u] + itemBias[i] + p_u · q_i`. */
export interface FactorScorer {
  dim: number;
  numItems: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  userBias?: Float32Array;
  itemBias?: Float32Array;
  globalBias?: number;
}

/**
 * Scores every item for each user in `users` into `out` (row-major, one row of `numItems` per
 * user). This is the evaluator's hot path (users × items × dim), so the bulk is computed in
 * register blocks of 4 users × 2 items, which reuses every loaded factor several times; the
 * leftover users and items take the plain dot product.
 */
export function scoreAllItems(model: FactorScorer, users: Int32Array, out: Float32Array): void {
  const { dim, numItems, userFactors: p, itemFactors: q } = model;
  const blockedUsers = users.length - (users.length % 4);
  const blockedItems = numItems - (numItems % 2);
  for (let r = 0; r < blockedUsers; r += 4) scoreFourUsers(model, users, r, blockedItems, out);
  for (let r = 0; r < users.length; r++) {
    const pu = users[r] * dim;
    for (let i = r < blockedUsers ? blockedItems : 0; i < numItems; i++) out[r * numItems + i] = dot(p, pu, q, i * dim, dim);
  }
  addBiases(model, users, out);
}

/** Dot products of users[r .. r+4) with items [0, itemEnd), itemEnd even. */
function scoreFourUsers(model: FactorScorer, users: Int32Array, r: number, itemEnd: number, out: Float32Array): void {
  const { dim, numItems, userFactors: p, itemFactors: q } = model;
  const a = users[r] * dim, b = users[r + 1] * dim, c = users[r + 2] * dim, d = users[r + 3] * dim;
  const rowA = r * numItems, rowB = rowA + numItems, rowC = rowB + numItems, rowD = rowC + numItems;
  for (let i = 0; i < itemEnd; i += 2) {
    const qi = i * dim, qj = qi + dim;
    let ai = 0, bi = 0, ci = 0, di = 0, aj = 0, bj = 0, cj = 0, dj = 0;
    for (let f = 0; f < dim; f++) {
      const x = q[qi + f], y = q[qj + f];
      const pa = p[a + f], pb = p[b + f], pc = p[c + f], pd = p[d + f];
      ai += pa * x; bi += pb * x; ci += pc * x; di += pd * x;
      aj += pa * y; bj += pb * y; cj += pc * y; dj += pd * y;
    }
    out[rowA + i] = ai; out[rowB + i] = bi; out[rowC + i] = ci; out[rowD + i] = di;
    out[rowA + i + 1] = aj; out[rowB + i + 1] = bj; out[rowC + i + 1] = cj; out[rowD + i + 1] = dj;
  }
}

function addBiases(model: FactorScorer, users: Int32Array, out: Float32Array): void {
  const { numItems, userBias, itemBias } = model;
  const global = model.globalBias ?? 0;
  if (!userBias && !itemBias && global === 0) return;
  for (let r = 0; r < users.length; r++) {
    const base = global + (userBias ? userBias[users[r]] : 0);
    const row = r * numItems;
    if (itemBias) for (let i = 0; i < numItems; i++) out[row + i] += base + itemBias[i];
    else for (let i = 0; i < numItems; i++) out[row + i] += base;
  }
}
