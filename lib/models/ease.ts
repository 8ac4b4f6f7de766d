// EASE: Steck, "Embarrassingly shallow autoencoders for sparse data", WWW 2019. A closed-form
// item-item model B = I − P·diag(1/diag P) with P = (XᵀX + λI)⁻¹ and a zero diagonal; a user's
// scores are X_u · B. P comes from a blocked Cholesky inverse (./linalg), or from the Woodbury
// identity over the user Gram matrix when there are fewer users than items (same B, exactly);
// λ is picked on a holdout of the fitted data unless fixed (./ease/lambda-search.ts).
import { z } from "zod";
import type { Csr } from "../datasets/types";
import type { Scorer } from "../metrics/evaluate";
import { searchLambda } from "./ease/lambda-search";
import { chooseSolver, dualRankingScorer, dualWeights, primalWeights, scoreWithWeights, type EaseSolver, type SolverLinalg } from "./ease/solvers";
import { LinalgInterrupted } from "./linalg/interrupt";
import { easeMemoryBytes } from "./memory";
import { notFitted, readFloat32, readInt32 } from "./shared/state";
import type { FitContext, ModelDefinition, ModelState, Recommender, TrainingData } from "./types";

export const easeParamsSchema = z.object({
  lambdaSearch: z
    .enum(["auto", "holdout", "off"])
    .default("auto")
    .describe(
      "How λ is chosen. holdout: 10% of every user's interactions are held out, candidate λ (1–20,000) are ranked by NDCG@10 on them and the best is refitted on all the data; off: use `lambda` as given; auto: holdout when it is cheap (the dual solver, or at most 3,000 items for the primal, which needs one inverse per candidate), else off.",
    ),
  lambda: z
    .number()
    .positive()
    .default(250)
    .describe(
      "L2 penalty λ added to the diagonal of the item Gram matrix XᵀX when it is not searched. Larger = smoother, more popularity-like. 250 is within 2% of the best on MovieLens 100K (best ≈ 400) and latest-small (best ≈ 100). Interactions.",
    ),
  solver: z
    .enum(["auto", "primal", "dual"])
    .default("auto")
    .describe(
      "primal: invert the items × items matrix XᵀX + λI (blocked Cholesky, ~items³ flops); dual: Woodbury identity over the users × users matrix XXᵀ + λI (~users³ + interactions × items flops; same B); auto: dual when there are fewer active users than items.",
    ),
  precision: z
    .enum(["auto", "float64", "float32"])
    .default("auto")
    .describe(
      "Storage of the items × items matrix during the primal inverse (sums always accumulate in float64); auto: float64 up to 11,585 items (1 GB), float32 above. The learned B is stored in float32.",
    ),
});

export type EaseParams = z.infer<typeof easeParamsSchema>;

/** lambdaSearch "auto" searches with the primal solver only up to this many items (one n³ inverse per candidate). */
export const PRIMAL_SEARCH_MAX_ITEMS = 3_000;

/** Threads for the dense inverse: RECLAB_LINALG_THREADS, else the run's share of the cores (RECLAB_THREADS). */
async function linalgThreads(): Promise<number> {
  const fromEnv = Number(process.env.RECLAB_LINALG_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  const { threadsSetting } = await import("../training/threads/settings");
  return threadsSetting();
}

class Ease implements Recommender {
  /** B, items × items row-major: row i holds item i's contribution to every item's score. */
  private weights: Float32Array | null = null;
  private history: Csr | null = null;
  /** The λ B was fitted with (searched or given). */
  private lambda: number;
  /** Which solver ran last (for logs and the benchmark notes). */
  solverUsed: EaseSolver | null = null;

  constructor(
    private readonly params: EaseParams,
    private readonly numUsers: number,
    private readonly numItems: number,
  ) {
    this.lambda = params.lambda;
  }

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const x = data.train;
    const solver = chooseSolver(x, this.params.solver);
    // The dense inverses look at cancellation between their blocked steps.
    const linalg: SolverLinalg = { threads: await linalgThreads(), interrupted: ctx.interrupted };
    try {
      const search = this.searches(solver) ? await searchLambda(x, (m, lambda) => this.candidateScorer(solver, m, lambda, linalg), ctx.seed) : null;
      this.lambda = search?.lambda ?? this.params.lambda;
      this.weights = await this.weightsFor(solver, x, this.lambda, linalg);
    } catch (error) {
      if (error instanceof LinalgInterrupted) return; // cancelled part-way: nothing fitted
      throw error;
    }
    this.solverUsed = solver;
    this.history = x;
  }

  private weightsFor(solver: EaseSolver, x: Csr, lambda: number, linalg: SolverLinalg): Promise<Float32Array> {
    return solver === "dual" ? dualWeights(x, lambda, linalg) : primalWeights(x, lambda, this.params.precision, linalg);
  }

  /** Scores of EASE(λ) fitted on `x`, for the λ search: the dual ranks without forming B. */
  private async candidateScorer(solver: EaseSolver, x: Csr, lambda: number, linalg: SolverLinalg): Promise<Scorer> {
    if (solver === "dual") return dualRankingScorer(x, lambda, linalg);
    const b = await this.weightsFor(solver, x, lambda, linalg);
    return (users, out) => scoreWithWeights(b, x, users, out);
  }

  private searches(solver: EaseSolver): boolean {
    const mode = this.params.lambdaSearch;
    return mode === "holdout" || (mode === "auto" && (solver === "dual" || this.numItems <= PRIMAL_SEARCH_MAX_ITEMS));
  }

  chosenSettings(): Record<string, number> {
    return { lambda: this.lambda };
  }

  score(users: Int32Array, out: Float32Array): void {
    const { weights: b, history: h } = this;
    if (!b || !h) throw notFitted("EASE");
    scoreWithWeights(b, h, users, out);
  }

  save(): ModelState {
    const { weights, history: h } = this;
    if (!weights || !h) throw notFitted("EASE");
    return { json: { lambda: this.lambda }, arrays: { weights, historyIndptr: h.indptr, historyIndices: h.indices, historyValues: h.values } };
  }

  load(state: ModelState): void {
    this.weights = readFloat32(state, "weights", this.numItems * this.numItems);
    if (typeof state.json.lambda === "number") this.lambda = state.json.lambda;
    const indptr = readInt32(state, "historyIndptr", this.numUsers + 1);
    const nnz = indptr[this.numUsers];
    this.history = {
      numRows: this.numUsers,
      numCols: this.numItems,
      indptr,
      indices: readInt32(state, "historyIndices", nnz),
      values: readFloat32(state, "historyValues", nnz),
    };
  }
}

export const easeDefinition: ModelDefinition<typeof easeParamsSchema> = {
  id: "ease",
  displayName: "EASE",
  summary: "A closed-form linear item-to-item model: each item's score is a learned weighted sum of the user's items, with self-similarity forbidden.",
  paper: {
    authors: "Harald Steck",
    title: "Embarrassingly shallow autoencoders for sparse data",
    venue: "WWW",
    year: 2019,
    url: "https://arxiv.org/abs/1905.03375",
  },
  feedback: "implicit",
  input: "matrix",
  training: "closed-form",
  engine: "js",
  paramsSchema: easeParamsSchema,
  create: (params, numUsers, numItems) => new Ease(params, numUsers, numItems),
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => easeMemoryBytes(params, numUsers, numItems, numInteractions),
};
