import { choleskySolveInPlace, choleskyUnblocked } from "../../models/linalg/cholesky";
import { readFloat32, readNumber } from "../../models/shared/state";
import type { TrainingData } from "../../models/types";
import { becauseText, cosine, topItems, type ItemSpace } from "./shared";
import type { Explainer, ExplainerInput, Explanation, ExplainOptions } from "./types";

/**
 * Explanations of factor models (MF, BPR-MF, WMF-ALS, ConvMF), whose user vector is learned, so
 * "the score without history item j" needs the user vector recomputed from the history minus j.
 * We fold the history in with a ridge least squares on the model's fixed item factors q̃:
 *   p = argmin Σ_j w_j (t_j − q̃_jᵀp)² + (the prior) = A⁻¹b,  A = G₀ + Σ_j w_j q̃_j q̃_jᵀ,  b = Σ_j t_j q̃_j
 * — for WMF-ALS and ConvMF exactly their own user step (Hu et al. 2008: confidence 1 + α·r on the
 * history, every item at confidence 1 and target 0 through G₀ = QᵀQ + λI); for BPR-MF the same
 * implicit objective on BPR's item factors (BPR has no closed form; a few SGD steps would make
 * the explanation depend on their random order); for biased MF a ridge regression of the
 * residual ratings r − μ − b_j on [q_j, 1] (the user bias folds in with the factors), λ the
 * per-update L2 times the mean history length, as SGD applies it once per rating.
 * Leaving one item out is a rank-one downdate of A (Sherman–Morrison), O(dim²) per history item.
 * History items are listed by how much leaving them out lowers the folded-in score; each also
 * carries its cosine to the recommended item in the learned item space, which does not rank
 * them: for MF the nearest history item lowers the score when left out for only ~60% of
 * recommendations on ml-100k (docs/benchmarks.md).
 */
interface FoldInSpec {
  /** Item factors q (numItems × dim). */
  space: ItemSpace;
  /** Append a constant 1 to every q (a folded-in user bias). */
  bias: boolean;
  /** G₀ (D × D, D = dim + bias): the same for every user. */
  prior(): Float64Array;
  weight(rating: number): number;
  target(item: number, rating: number): number;
  /** The score terms that do not depend on the folded-in user vector. */
  base(user: number, item: number): number;
}

function foldInExplainer(data: TrainingData, spec: FoldInSpec): Explainer {
  const { space, bias } = spec;
  const dim = space.dim, D = dim + (bias ? 1 : 0);
  const q = space.vectors;
  const { indptr, indices, values } = data.train;
  const vec = (j: number, out: Float64Array) => {
    for (let f = 0; f < dim; f++) out[f] = q[j * dim + f];
    if (bias) out[dim] = 1;
  };
  // The last user's factorised A and folded-in p.
  let cached = -1;
  let chol = new Float64Array(D * D);
  const p = new Float64Array(D);
  const qi = new Float64Array(D), qj = new Float64Array(D), z = new Float64Array(D);
  const dotD = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let f = 0; f < D; f++) s += a[f] * b[f];
    return s;
  };
  const foldIn = (user: number) => {
    if (user === cached) return;
    const start = indptr[user], end = indptr[user + 1];
    chol = spec.prior().slice();
    p.fill(0);
    for (let k = start; k < end; k++) {
      vec(indices[k], qj);
      const w = spec.weight(values[k]), t = spec.target(indices[k], values[k]);
      for (let a = 0; a < D; a++) {
        p[a] += t * qj[a];
        for (let b = 0; b <= a; b++) chol[a * D + b] += w * qj[a] * qj[b];
      }
    }
    for (let a = 0; a < D; a++) for (let b = a + 1; b < D; b++) chol[a * D + b] = chol[b * D + a];
    choleskyUnblocked(chol, D);
    choleskySolveInPlace(chol, D, p);
    // z_k = A⁻¹q_k, s_k = q_kᵀz_k, e_k = q_kᵀp do not depend on the explained item: solved once
    // per user, so explaining a user's whole top-K costs one solve per history item, not K.
    const n = end - start;
    if (zs.length < n * D) zs = new Float64Array(n * D);
    if (ss.length < n) (ss = new Float64Array(n)), (es = new Float64Array(n));
    for (let k = start; k < end; k++) {
      vec(indices[k], qj);
      z.set(qj);
      choleskySolveInPlace(chol, D, z);
      zs.set(z, (k - start) * D);
      ss[k - start] = dotD(qj, z);
      es[k - start] = dotD(qj, p);
    }
    cached = user;
  };
  let zs = new Float64Array(0), ss = new Float64Array(0), es = new Float64Array(0);
  /** Score of `item` (in qi) with history entry `k` (CSR position of the cached user) left out: Sherman–Morrison on A. */
  const without = (score: number, k: number): number => {
    const r = k - indptr[cached];
    const w = spec.weight(values[k]), t = spec.target(indices[k], values[k]);
    let c = 0;
    for (let f = 0; f < D; f++) c += qi[f] * zs[r * D + f];
    const s = ss[r], e = es[r];
    return score - t * c + (w * c * (e - t * s)) / (1 - w * s);
  };
  const scoreOf = (user: number, item: number) => {
    foldIn(user);
    vec(item, qi);
    return spec.base(user, item) + dotD(qi, p);
  };

  const explain = (user: number, item: number, options?: ExplainOptions): Explanation => {
    const score = scoreOf(user, item);
    const start = indptr[user], end = indptr[user + 1];
    const items = indices.subarray(start, end);
    const scoreWithout = new Float64Array(end - start);
    for (let k = start; k < end; k++) scoreWithout[k - start] = without(score, k);
    const similarity = Float64Array.from(items, (j) => cosine(space, item, j));
    const listed = topItems({ items, weights: scoreWithout.map((s) => score - s), similarity, scoreWithout }, options);
    return { user, item, kind: "neighbours", score, items: listed, text: becauseText(data, item, listed, "mostly because of"), exact: false };
  };
  const scoreWithout = (user: number, item: number, removed: number): number => {
    const score = scoreOf(user, item);
    for (let k = indptr[user]; k < indptr[user + 1]; k++) if (indices[k] === removed) return without(score, k);
    return score;
  };
  return { explain, scoreWithout };
}

/** G₀ = QᵀQ + λI: every item at confidence 1 with target 0, plus the ridge. */
function implicitPrior(space: ItemSpace, numItems: number, lambda: number): Float64Array {
  const d = space.dim, q = space.vectors;
  const g = new Float64Array(d * d);
  for (let i = 0; i < numItems; i++) {
    for (let a = 0; a < d; a++) {
      const x = q[i * d + a];
      for (let b = 0; b < d; b++) g[a * d + b] += x * q[i * d + b];
    }
  }
  for (let a = 0; a < d; a++) g[a * d + a] += lambda;
  return g;
}

/** WMF fold-in (Hu et al. 2008) on the item vectors of `space` with confidence slope α and ridge λ. */
function implicitFoldIn(data: TrainingData, space: ItemSpace, alpha: number, lambda: number, base: FoldInSpec["base"]): Explainer {
  const prior = implicitPrior(space, data.numItems, lambda);
  return foldInExplainer(data, { space, bias: false, prior: () => prior, weight: (r) => alpha * r, target: (_j, r) => 1 + alpha * r, base });
}

function itemFactors({ model, params, data }: ExplainerInput): ItemSpace {
  const dim = params.factors as number;
  return { dim, vectors: readFloat32(model.save(), "itemFactors", data.numItems * dim) };
}

const noBase = () => 0;

export const alsExplainer = (input: ExplainerInput): Explainer =>
  implicitFoldIn(input.data, itemFactors(input), input.params.alpha as number, input.params.regularization as number, noBase);

export const convMfFoldInExplainer = (input: ExplainerInput): Explainer =>
  implicitFoldIn(input.data, itemFactors(input), input.params.alpha as number, input.params.userRegularization as number, noBase);

/** The fold-in of models without a least-squares objective (BPR-MF, NeuMF's GMF): ALS's default confidence slope, a unit ridge. */
export const IMPLICIT_FOLD_IN = { alpha: 3, lambda: 1 };

export function bprExplainer(input: ExplainerInput): Explainer {
  const bias = input.params.itemBias ? readFloat32(input.model.save(), "itemBias", input.data.numItems) : null;
  const { alpha, lambda } = IMPLICIT_FOLD_IN;
  return implicitFoldIn(input.data, itemFactors(input), alpha, lambda, bias ? (_u, i) => bias[i] : noBase);
}

/**
 * NeuMF: its GMF tower p_u · (h ⊙ q_i) is a factor model on the item vectors h ⊙ q_i; that part
 * is folded in (as for BPR-MF) while the MLP tower and the bias keep the learned user's values
 * (the model's score minus its learned GMF term). The MLP's user embedding is not folded in.
 */
export function neumfExplainer({ model, data }: ExplainerInput): Explainer {
  const state = model.save();
  const out = readFloat32(state, "gmfOut");
  const f = out.length, n = data.numItems;
  const items = readFloat32(state, "gmfItem", n * f);
  const users = readFloat32(state, "gmfUser", data.numUsers * f);
  const vectors = Float32Array.from(items, (x, k) => x * out[k % f]);
  const space = { dim: f, vectors };
  const scores = new Float32Array(n);
  let scored = -1;
  const rest = (user: number, item: number) => {
    if (user !== scored) model.score(Int32Array.of(user), scores);
    scored = user;
    let gmf = 0;
    for (let k = 0; k < f; k++) gmf += users[user * f + k] * vectors[item * f + k];
    return scores[item] - gmf;
  };
  return implicitFoldIn(data, space, IMPLICIT_FOLD_IN.alpha, IMPLICIT_FOLD_IN.lambda, rest);
}

export function mfExplainer({ model, params, data }: ExplainerInput): Explainer {
  const state = model.save();
  const dim = params.factors as number;
  const mu = readNumber(state, "globalMean");
  const itemBias = readFloat32(state, "itemBias", data.numItems);
  const space = { dim, vectors: readFloat32(state, "itemFactors", data.numItems * dim) };
  // SGD applies the L2 once per rating: λ = per-update penalty × the mean history length (the
  // same for every user, so leaving an item out is an exact rank-one downdate).
  const meanLength = Math.max(1, Math.round(data.train.indices.length / Math.max(1, data.numUsers)));
  const D = dim + 1;
  const prior = new Float64Array(D * D);
  for (let a = 0; a < dim; a++) prior[a * D + a] = (params.regularization as number) * meanLength;
  prior[dim * D + dim] = (params.biasRegularization as number) * meanLength;
  return foldInExplainer(data, {
    space,
    bias: true,
    prior: () => prior,
    weight: () => 1,
    target: (j, r) => r - mu - itemBias[j],
    base: (_u, i) => mu + itemBias[i],
  });
}
