// WMF / implicit ALS: Hu, Koren & Volinsky, "Collaborative filtering for implicit feedback
// datasets", ICDM 2008 — confidence c = 1 + α·r on observed pairs, 1 elsewhere, alternating
// ridge solves — with each row solved by a few warm-started conjugate-gradient steps
// (Takács, Pilászy & Tikk, RecSys 2011; as in the `implicit` library) over the YᵀY precompute.
import { z } from "zod";
import { nativeLinalg } from "./linalg/native-kernel";
import { transposeCsr } from "../datasets/csr";
import type { Csr } from "../datasets/types";
import { Rng } from "../util/rng";
import { alsMemoryBytes } from "./memory";
import { randomFactors, scoreAllItems } from "./shared/factors";
import { notFitted, readFloat32 } from "./shared/state";
import type { FitContext, ModelDefinition, ModelState, Recommender, TrainingData } from "./types";

export const alsParamsSchema = z.object({
  factors: z.number().int().min(1).max(1024).default(64).describe("Latent dimensions per user and item. Count."),
  epochs: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(15)
    .describe("Maximum ALS sweeps; one epoch solves every user, then every item. Count."),
  regularization: z.number().min(0).default(30).describe("L2 penalty λ on every factor row (not scaled by the row's interactions)."),
  alpha: z.number().min(0).default(3).describe("Confidence slope: an observed value r gets confidence 1 + α·r, unobserved pairs 1."),
  cgSteps: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(3)
    .describe("Conjugate-gradient steps per row and sweep, warm-started from the previous sweep (≥ factors gives the exact solve). Count."),
  initStd: z.number().min(0).default(0.01).describe("Standard deviation of the normal initialisation of the factors."),
});

export type AlsParams = z.infer<typeof alsParamsSchema>;

export interface ImplicitSolveOptions {
  dim: number;
  regularization: number;
  alpha: number;
  cgSteps: number;
  /**
   * Optional prior mean per row (rows × dim): the penalty becomes λ‖x − prior‖² instead of λ‖x‖²
   * (ConvMF pulls item factors towards the text CNN's output this way).
   */
  prior?: Float32Array;
}

/**
 * One half-sweep of implicit ALS: for every row r of `rows` (its observed columns and values),
 * minimises Σ_j c_rj (p_rj − x·y_j)² + λ‖x − prior_r‖² over x = target[r] given the fixed
 * factors y, where p = 1 on observed pairs and c = 1 + α·value there (1 elsewhere). Solved by
 * `cgSteps` conjugate-gradient steps warm-started at the current row, with A·v computed as
 * (YᵀY + λI)v + Σ_obs α·value (y·v) y, so a row costs O(dim² + nnz_r·dim) per step.
 * Returns the row-wise objective summed (observed + unobserved terms, penalty included).
 */
export function solveImplicitRows(target: Float32Array, fixed: Float32Array, rows: Csr, o: ImplicitSolveOptions): number {
  // The same bits from the addon when built (native/linalg/als-kernels.h), several times faster.
  const native = nativeLinalg()?.addon.solve_implicit_rows_f32;
  if (native) return native(target, fixed, rows.indptr, rows.indices, rows.values, rows.numRows, o.dim, o.regularization, o.alpha, o.cgSteps, o.prior ?? null);
  return solveImplicitRowsJs(target, fixed, rows, o);
}

/** `solveImplicitRows` in JavaScript (the path without the addon, and the reference of its solver). */
export function solveImplicitRowsJs(target: Float32Array, fixed: Float32Array, rows: Csr, o: ImplicitSolveOptions): number {
  const f = o.dim;
  const numFixed = fixed.length / f;
  const gram = new Float64Array(f * f);
  for (let j = 0; j < numFixed; j++) {
    const base = j * f;
    for (let a = 0; a < f; a++) {
      const ya = fixed[base + a];
      if (ya === 0) continue;
      const ga = a * f;
      for (let b = 0; b <= a; b++) gram[ga + b] += ya * fixed[base + b];
    }
  }
  for (let a = 0; a < f; a++) for (let b = 0; b < a; b++) gram[b * f + a] = gram[a * f + b];
  const reg = o.regularization;
  const x = new Float64Array(f), r = new Float64Array(f), p = new Float64Array(f), ap = new Float64Array(f);
  let objective = 0;

  for (let row = 0; row < rows.numRows; row++) {
    const start = rows.indptr[row], end = rows.indptr[row + 1];
    const t0 = row * f;
    const prior = o.prior;
    if (start === end && !prior) {
      // No observations and no prior: the exact minimiser is 0 (never leave random-init noise,
      // which would rank unseen items by chance while looking like a score).
      target.fill(0, t0, t0 + f);
      continue;
    }
    for (let a = 0; a < f; a++) x[a] = target[t0 + a];
    // r = b − A x, b = Σ_obs c·y + λ·prior.
    multiplyGram(gram, x, r, f, reg);
    for (let a = 0; a < f; a++) r[a] = (prior ? reg * prior[t0 + a] : 0) - r[a];
    for (let q = start; q < end; q++) {
      const yj = rows.indices[q] * f;
      const w = o.alpha * rows.values[q];
      let xy = 0;
      for (let a = 0; a < f; a++) xy += fixed[yj + a] * x[a];
      const coef = 1 + w - w * xy;
      for (let a = 0; a < f; a++) r[a] += coef * fixed[yj + a];
    }
    let rsold = 0;
    for (let a = 0; a < f; a++) {
      p[a] = r[a];
      rsold += r[a] * r[a];
    }
    for (let step = 0; step < o.cgSteps && rsold > 1e-20; step++) {
      multiplyGram(gram, p, ap, f, reg);
      for (let q = start; q < end; q++) {
        const yj = rows.indices[q] * f;
        const w = o.alpha * rows.values[q];
        let yp = 0;
        for (let a = 0; a < f; a++) yp += fixed[yj + a] * p[a];
        const coef = w * yp;
        for (let a = 0; a < f; a++) ap[a] += coef * fixed[yj + a];
      }
      let pap = 0;
      for (let a = 0; a < f; a++) pap += p[a] * ap[a];
      if (!(pap > 0)) break;
      const step_ = rsold / pap;
      let rsnew = 0;
      for (let a = 0; a < f; a++) {
        x[a] += step_ * p[a];
        r[a] -= step_ * ap[a];
        rsnew += r[a] * r[a];
      }
      const beta = rsnew / rsold;
      for (let a = 0; a < f; a++) p[a] = r[a] + beta * p[a];
      rsold = rsnew;
    }
    for (let a = 0; a < f; a++) target[t0 + a] = x[a];
    objective += rowObjective(gram, fixed, rows, row, x, f, o, reg);
  }
  return objective;
}

/** out = (G + λI) v for the dense f × f Gram G. */
function multiplyGram(gram: Float64Array, v: Float64Array, out: Float64Array, f: number, reg: number): void {
  for (let a = 0; a < f; a++) {
    let s = reg * v[a];
    const ga = a * f;
    for (let b = 0; b < f; b++) s += gram[ga + b] * v[b];
    out[a] = s;
  }
}

/** xᵀYᵀYx (every pair at confidence 1, target 0) corrected on the observed pairs, plus the penalty. */
function rowObjective(gram: Float64Array, fixed: Float32Array, rows: Csr, row: number, x: Float64Array, f: number, o: ImplicitSolveOptions, reg: number): number {
  let all = 0;
  for (let a = 0; a < f; a++) {
    let s = 0;
    for (let b = 0; b < f; b++) s += gram[a * f + b] * x[b];
    all += x[a] * s;
  }
  for (let q = rows.indptr[row]; q < rows.indptr[row + 1]; q++) {
    const yj = rows.indices[q] * f;
    let xy = 0;
    for (let a = 0; a < f; a++) xy += fixed[yj + a] * x[a];
    all += (1 + o.alpha * rows.values[q]) * (1 - xy) ** 2 - xy * xy;
  }
  let penalty = 0;
  for (let a = 0; a < f; a++) penalty += (x[a] - (o.prior ? o.prior[row * f + a] : 0)) ** 2;
  return all + reg * penalty;
}

class ImplicitAls implements Recommender {
  private userFactors: Float32Array | null = null;
  private itemFactors: Float32Array | null = null;

  constructor(
    private readonly params: AlsParams,
    private readonly numUsers: number,
    private readonly numItems: number,
  ) {}

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { factors: dim, epochs } = this.params;
    const startEpoch = ctx.startEpoch ?? 1;
    if (startEpoch <= 1 || !this.userFactors || !this.itemFactors) {
      const init = new Rng(ctx.seed);
      this.userFactors = randomFactors(this.numUsers, dim, this.params.initStd, init);
      this.itemFactors = randomFactors(this.numItems, dim, this.params.initStd, init);
    }
    const { userFactors: users, itemFactors: items } = this;
    const byUser = data.train;
    const byItem = transposeCsr(byUser);
    const options: ImplicitSolveOptions = { dim, regularization: this.params.regularization, alpha: this.params.alpha, cgSteps: this.params.cgSteps };
    const nnz = Math.max(1, byUser.indices.length);
    for (let epoch = startEpoch; epoch <= epochs; epoch++) {
      solveImplicitRows(users, items, byUser, options);
      if (ctx.interrupted && (await ctx.interrupted())) return;
      const objective = solveImplicitRows(items, users, byItem, options);
      const decision = await ctx.onEpoch?.({ epoch, totalEpochs: epochs, loss: objective / nnz });
      if (decision?.stop) break;
    }
  }

  score(users: Int32Array, out: Float32Array): void {
    const { userFactors, itemFactors } = this;
    if (!userFactors || !itemFactors) throw notFitted("ALS");
    scoreAllItems({ dim: this.params.factors, numItems: this.numItems, userFactors, itemFactors }, users, out);
  }

  save(): ModelState {
    const { userFactors, itemFactors } = this;
    if (!userFactors || !itemFactors) throw notFitted("ALS");
    return { json: { factors: this.params.factors }, arrays: { userFactors, itemFactors } };
  }

  load(state: ModelState): void {
    const dim = this.params.factors;
    this.userFactors = readFloat32(state, "userFactors", this.numUsers * dim);
    this.itemFactors = readFloat32(state, "itemFactors", this.numItems * dim);
  }
}

export const alsDefinition: ModelDefinition<typeof alsParamsSchema> = {
  id: "als",
  displayName: "WMF-ALS",
  summary: "Weighted matrix factorisation for implicit feedback: every user-item pair is a 0/1 target weighted by confidence, fitted by alternating least squares.",
  paper: {
    authors: "Yifan Hu, Yehuda Koren, Chris Volinsky",
    title: "Collaborative filtering for implicit feedback datasets",
    venue: "ICDM",
    year: 2008,
    url: "https://doi.org/10.1109/ICDM.2008.22",
  },
  feedback: "implicit",
  input: "matrix",
  training: "epochs",
  engine: "js",
  paramsSchema: alsParamsSchema,
  create: (params, numUsers, numItems) => new ImplicitAls(params, numUsers, numItems),
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => alsMemoryBytes(params, numUsers, numItems, numInteractions),
};
