// EASE: Steck, "Embarrassingly shallow autoencoders for sparse data", WWW 2019. A closed-form
// item-item model B = I − P·diag(1/diag P) with P = (XᵀX + λI)⁻¹ and a zero diagonal; a user's
// scores are X_u · B. P comes from a blocked Cholesky inverse (./linalg), or from the Woodbury
// identity over the user Gram matrix when there are fewer users than items (same B, exactly).
import { z } from "zod";
import { transposeCsr } from "../datasets/csr";
import type { Csr } from "../datasets/types";
import { allocMatrix, invertSpdInPlace } from "./linalg/cholesky";
import type { FloatArray } from "./linalg/kernels";
import { easeMemoryBytes } from "./memory";
import { notFitted, readFloat32, readInt32 } from "./shared/state";
import type { ModelDefinition, ModelState, Recommender, TrainingData } from "./types";

export const easeParamsSchema = z.object({
  lambda: z
    .number()
    .positive()
    .default(250)
    .describe(
      "L2 penalty λ added to the diagonal of the item Gram matrix XᵀX. Larger = smoother, more popularity-like. Default 250: within 2% of the best validation NDCG@10 on MovieLens 100K (best 250–400) and latest-small (best ≤ 100) over 100–1000. Interactions.",
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

/** Threads for the dense inverse: every core, or RECLAB_LINALG_THREADS. */
async function linalgThreads(): Promise<number> {
  const fromEnv = Number(process.env.RECLAB_LINALG_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  const os = await import("node:os");
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** The primal solver stores XᵀX in float64 up to this many items (n² · 8 bytes = 1 GiB). */
const FLOAT64_MAX_ITEMS = 11_585;

class Ease implements Recommender {
  /** B, items × items row-major: row i holds item i's contribution to every item's score. */
  private weights: Float32Array | null = null;
  private history: Csr | null = null;
  /** Which solver ran last (for logs and the benchmark notes). */
  solverUsed: "primal" | "dual" | null = null;

  constructor(
    private readonly params: EaseParams,
    private readonly numUsers: number,
    private readonly numItems: number,
  ) {}

  async fit(data: TrainingData): Promise<void> {
    const x = data.train;
    let activeUsers = 0;
    for (let u = 0; u < x.numRows; u++) if (x.indptr[u + 1] > x.indptr[u]) activeUsers++;
    const solver = this.params.solver === "auto" ? (activeUsers < this.numItems ? "dual" : "primal") : this.params.solver;
    const threads = await linalgThreads();
    this.weights = solver === "dual" ? await dualWeights(x, this.params.lambda, threads) : await this.primalWeights(x, threads);
    this.solverUsed = solver;
    this.history = x;
  }

  private async primalWeights(x: Csr, threads: number): Promise<Float32Array> {
    const n = this.numItems;
    const type = this.params.precision === "auto" ? (n <= FLOAT64_MAX_ITEMS ? "float64" : "float32") : this.params.precision;
    const g = allocMatrix(n, type, threads > 1);
    addGram(x, g, n);
    for (let i = 0; i < n; i++) g[i * n + i] += this.params.lambda;
    await invertSpdInPlace(g, n, { threads });
    const diag = new Float64Array(n);
    for (let j = 0; j < n; j++) diag[j] = g[j * n + j];
    if (g instanceof Float32Array) {
      for (let i = 0; i < n; i++) {
        const row = i * n;
        for (let j = 0; j < n; j++) g[row + j] = -g[row + j] / diag[j];
        g[row + i] = 0;
      }
      return g;
    }
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) b[row + j] = -g[row + j] / diag[j];
      b[row + i] = 0;
    }
    return b;
  }

  score(users: Int32Array, out: Float32Array): void {
    const { weights: b, history: h } = this;
    if (!b || !h) throw notFitted("EASE");
    const n = this.numItems;
    out.fill(0, 0, users.length * n);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      const row = r * n;
      for (let p = h.indptr[u]; p < h.indptr[u + 1]; p++) {
        const w = h.values[p];
        const from = h.indices[p] * n;
        for (let j = 0; j < n; j++) out[row + j] += w * b[from + j];
      }
    }
  }

  save(): ModelState {
    const { weights, history: h } = this;
    if (!weights || !h) throw notFitted("EASE");
    return { json: { lambda: this.params.lambda }, arrays: { weights, historyIndptr: h.indptr, historyIndices: h.indices, historyValues: h.values } };
  }

  load(state: ModelState): void {
    this.weights = readFloat32(state, "weights", this.numItems * this.numItems);
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

/** Adds the lower triangle (diagonal included) of XᵀX to `g`; then mirrors it to the upper one. */
export function addGram(x: Csr, g: FloatArray, n: number): void {
  for (let u = 0; u < x.numRows; u++) {
    const start = x.indptr[u], end = x.indptr[u + 1];
    for (let p = start; p < end; p++) {
      const i = x.indices[p], xi = x.values[p];
      const row = i * n;
      for (let q = start; q < end; q++) {
        const j = x.indices[q];
        if (j <= i) g[row + j] += xi * x.values[q];
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) g[j * n + i] = g[i * n + j];
}

/**
 * B by the Woodbury identity: (λI + XᵀX)⁻¹ = (I − Xᵀ K X)/λ with K = (λI + XXᵀ)⁻¹ over the m
 * active users, so with Q = XᵀKX, B_ij = Q_ij / (1 − Q_jj) for i ≠ j. Costs m³ (inverse) +
 * m·nnz (Z = KX) + nnz·n (Q), instead of n³.
 */
async function dualWeights(x: Csr, lambda: number, threads: number): Promise<Float32Array> {
  const n = x.numCols;
  const active: number[] = [];
  for (let u = 0; u < x.numRows; u++) if (x.indptr[u + 1] > x.indptr[u]) active.push(u);
  const m = active.length;
  const local = new Int32Array(x.numRows).fill(-1);
  active.forEach((u, k) => (local[u] = k));
  const byItem = transposeCsr(x);

  // K = (λI + XXᵀ)⁻¹ over active users, from the item-wise user co-occurrences.
  const k = allocMatrix(m, "float64", threads > 1);
  for (let i = 0; i < n; i++) {
    const start = byItem.indptr[i], end = byItem.indptr[i + 1];
    for (let p = start; p < end; p++) {
      const a = local[byItem.indices[p]], xa = byItem.values[p];
      for (let q = start; q < end; q++) {
        const c = local[byItem.indices[q]];
        if (c <= a) k[a * m + c] += xa * byItem.values[q];
      }
    }
  }
  for (let a = 0; a < m; a++) {
    k[a * m + a] += lambda;
    for (let c = 0; c < a; c++) k[c * m + a] = k[a * m + c];
  }
  await invertSpdInPlace(k, m, { threads });

  // Z = K X (m × n, float64): row a is Σ_c K[a][c] X[c, :].
  const z = new Float64Array(m * n);
  for (let a = 0; a < m; a++) {
    const zr = a * n, kr = a * m;
    for (let c = 0; c < m; c++) {
      const kac = k[kr + c];
      const u = active[c];
      for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) z[zr + x.indices[p]] += kac * x.values[p];
    }
  }

  // diag(Q)_j = Σ_{u ∈ users(j)} x_uj Z[u][j]; then B row i = Σ_{u ∈ users(i)} x_ui Z[u, :] / (1 − Q_jj).
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let q = 0;
    for (let p = byItem.indptr[j]; p < byItem.indptr[j + 1]; p++) q += byItem.values[p] * z[local[byItem.indices[p]] * n + j];
    scale[j] = 1 / (1 - q);
  }
  const b = new Float32Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = byItem.indptr[i], end = byItem.indptr[i + 1];
    if (start === end) continue;
    row.fill(0);
    for (let p = start; p < end; p++) {
      const xu = byItem.values[p], zr = local[byItem.indices[p]] * n;
      for (let j = 0; j < n; j++) row[j] += xu * z[zr + j];
    }
    const br = i * n;
    for (let j = 0; j < n; j++) b[br + j] = row[j] * scale[j];
    b[br + i] = 0;
  }
  return b;
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
