import { transposeCsr } from "../../datasets/csr";
import type { Csr } from "../../datasets/types";
import { Rng } from "../../util/rng";
import { solveImplicitRows } from "../als";
import { randomFactors } from "../shared/factors";

/**
 * Item feature vectors for the bandits, learned from the training interactions only (never from
 * the simulator's ground truth): implicit-ALS item factors (Hu et al. 2008, the registry's
 * solver) with a fixed seed, rescaled so the mean squared norm is 1, plus each item's training
 * popularity. Row-major `numItems × dim`.
 */
export interface ItemFeatures {
  dim: number;
  numItems: number;
  vectors: Float32Array;
  /** log(1 + training count) / log(1 + max count), in [0, 1]. */
  popularity: Float32Array;
}

export interface EmbeddingOptions {
  dim: number;
  seed: number;
  /** ALS sweeps (users then items). */
  sweeps?: number;
  regularization?: number;
  alpha?: number;
}

export function learnItemFeatures(train: Csr, numItems: number, o: EmbeddingOptions): ItemFeatures {
  const { dim } = o;
  const rng = new Rng(o.seed);
  const users = randomFactors(train.numRows, dim, 0.01, rng);
  const items = randomFactors(numItems, dim, 0.01, rng);
  const byItem = transposeCsr({ ...train, numCols: numItems });
  const solve = { dim, regularization: o.regularization ?? 10, alpha: o.alpha ?? 3, cgSteps: 3 };
  for (let sweep = 0; sweep < (o.sweeps ?? 8); sweep++) {
    solveImplicitRows(users, items, train, solve);
    solveImplicitRows(items, users, byItem, solve);
  }
  return fromVectors(items, dim, itemCounts(train, numItems));
}

/** Popularity only, with one all-zero vector dimension (for the non-contextual ε-greedy). */
export function popularityFeatures(train: Csr, numItems: number): ItemFeatures {
  return fromVectors(new Float32Array(numItems), 1, itemCounts(train, numItems));
}

/** Features from given vectors (tests pass the true features of a synthetic environment). */
export function fromVectors(vectors: Float32Array, dim: number, counts?: Float64Array): ItemFeatures {
  const numItems = vectors.length / dim;
  let sumSq = 0;
  for (const v of vectors) sumSq += v * v;
  const scale = sumSq > 0 ? 1 / Math.sqrt(sumSq / numItems) : 1;
  const scaled = vectors.map((v) => v * scale);
  const popularity = new Float32Array(numItems);
  if (counts) {
    const max = Math.log1p(counts.reduce((m, c) => Math.max(m, c), 0));
    for (let i = 0; i < numItems; i++) popularity[i] = max > 0 ? Math.log1p(counts[i]) / max : 0;
  }
  return { dim, numItems, vectors: scaled, popularity };
}

function itemCounts(train: Csr, numItems: number): Float64Array {
  const counts = new Float64Array(numItems);
  for (const item of train.indices) if (item < numItems) counts[item]++;
  return counts;
}

/** Mean of the feature vectors of the last `window` items of `history` (zeros for an empty history). */
export function historyMean(features: ItemFeatures, history: Int32Array, window: number, out: Float64Array): Float64Array {
  const { dim, vectors, numItems } = features;
  out.fill(0);
  let n = 0;
  for (let h = Math.max(0, history.length - window); h < history.length; h++) {
    const item = history[h];
    if (item < 0 || item >= numItems) continue;
    for (let f = 0; f < dim; f++) out[f] += vectors[item * dim + f];
    n++;
  }
  if (n > 0) for (let f = 0; f < dim; f++) out[f] /= n;
  return out;
}

/**
 * The context-item feature map of the linear bandits, φ(h, a) = [1, pop_a, x_a, √d · (h ⊙ x_a)]
 * (length 2d + 2): a global level, the item's training popularity, the item's own vector, and its
 * element-wise match with the user's recent-history mean h, so one shared θ scores items
 * differently per user (a learned, weighted similarity to what the user consumed).
 */
export class ContextFeatures {
  readonly length: number;
  private readonly user: Float64Array;

  constructor(
    readonly features: ItemFeatures,
    readonly window: number,
  ) {
    this.length = 2 * features.dim + 2;
    this.user = new Float64Array(features.dim);
  }

  /** Sets the user context from a visit's history; later `fill` calls use it. */
  setHistory(history: Int32Array): void {
    historyMean(this.features, history, this.window, this.user);
  }

  /**
   * φ is linear in the item's base vector ψ_a = [1, pop_a, x_a] (length d + 2): φ = T ψ with
   * T[i][i] = 1 and T[d + i][i] = w_i, w = [0, 0, √d · h]. Writes w into `out` (length d + 2), so
   * the linear bandits can fold T into θ and A⁻¹ once per visit and score in d + 2 dimensions.
   */
  interactionWeights(out: Float64Array): Float64Array {
    const { dim } = this.features;
    out[0] = 0;
    out[1] = 0;
    for (let f = 0; f < dim; f++) out[2 + f] = Math.sqrt(dim) * this.user[f];
    return out;
  }

  /** Writes the base vector ψ_item = [1, pop, x] into `out` (length d + 2). */
  base(item: number, out: Float64Array): Float64Array {
    const { dim, vectors, popularity } = this.features;
    out[0] = 1;
    out[1] = popularity[item];
    for (let f = 0; f < dim; f++) out[2 + f] = vectors[item * dim + f];
    return out;
  }

  /** Writes φ(h, item) into `out`. */
  fill(item: number, out: Float64Array): Float64Array {
    const { dim, vectors, popularity } = this.features;
    const interaction = Math.sqrt(dim);
    out[0] = 1;
    out[1] = popularity[item];
    for (let f = 0; f < dim; f++) {
      const x = vectors[item * dim + f];
      out[2 + f] = x;
      out[2 + dim + f] = interaction * this.user[f] * x;
    }
    return out;
  }
}
