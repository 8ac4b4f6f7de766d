import { transposeCsr } from "../../datasets/csr";
import type { Csr } from "../../datasets/types";
import { allocMatrix, invertSpdInPlace, type LinalgOptions } from "../linalg/cholesky";
import type { FloatArray } from "../linalg/kernels";

/**
 * EASE's closed form (Steck 2019): B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹, zero diagonal.
 * Two exact ways to P: the primal items × items inverse, or the Woodbury identity over the users
 * × users Gram matrix when there are fewer users than items (the dual).
 */

/** The primal solver stores XᵀX in float64 up to this many items (n² · 8 bytes = 1 GiB). */
export const FLOAT64_MAX_ITEMS = 11_585;

export type EaseSolver = "primal" | "dual";

/** Users with at least one interaction: the dual's rows. */
export function countActiveUsers(x: Csr): number {
  let active = 0;
  for (let u = 0; u < x.numRows; u++) if (x.indptr[u + 1] > x.indptr[u]) active++;
  return active;
}

/** The cheaper exact solver for a matrix: the dual when there are fewer active users than items. */
export function chooseSolver(x: Csr, requested: "auto" | EaseSolver): EaseSolver {
  if (requested !== "auto") return requested;
  return countActiveUsers(x) < x.numCols ? "dual" : "primal";
}

/**
 * Adds XᵀX to `g` (full symmetric). Item-major: row i of G collects x_ui·x_uj over the users u
 * of item i, so each row's writes stay in cache (the user-major scatter touched a random row of
 * a multi-GB matrix per pair); the lower triangle is summed, then mirrored.
 */
export function addGram(x: Csr, g: FloatArray, n: number): void {
  const byItem = transposeCsr(x);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let p = byItem.indptr[i]; p < byItem.indptr[i + 1]; p++) {
      const u = byItem.indices[p], xi = byItem.values[p];
      for (let q = x.indptr[u]; q < x.indptr[u + 1]; q++) {
        const j = x.indices[q];
        if (j <= i) g[row + j] += xi * x.values[q];
      }
    }
  }
  mirrorLower(g, n);
}

/** Copies the lower triangle onto the upper one, in cache-sized tiles. */
function mirrorLower(g: FloatArray, n: number): void {
  const T = 64;
  for (let i0 = 0; i0 < n; i0 += T) {
    for (let j0 = 0; j0 <= i0; j0 += T) {
      const i1 = Math.min(i0 + T, n);
      for (let i = i0; i < i1; i++) {
        const jEnd = Math.min(j0 + T, i);
        for (let j = j0; j < jEnd; j++) g[j * n + i] = g[i * n + j];
      }
    }
  }
}

/** Threads for the dense inverse, and the cancellation check between its blocked steps. */
export type SolverLinalg = Pick<LinalgOptions, "interrupted"> & { threads: number };

/** Seconds per step of the last primal fit (for benchmarks). */
export interface PrimalTimings {
  gramS: number;
  inverseS: number;
  weightsS: number;
}

/** B by the primal inverse of XᵀX + λI (blocked Cholesky), float64 or float32 storage. */
export async function primalWeights(
  x: Csr,
  lambda: number,
  precision: "auto" | "float64" | "float32",
  linalg: SolverLinalg,
  timings?: PrimalTimings,
): Promise<Float32Array> {
  const { threads } = linalg;
  const n = x.numCols;
  const type = precision === "auto" ? (n <= FLOAT64_MAX_ITEMS ? "float64" : "float32") : precision;
  const t0 = performance.now();
  const g = allocMatrix(n, type, threads > 1);
  addGram(x, g, n);
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  const t1 = performance.now();
  await invertSpdInPlace(g, n, linalg);
  const t2 = performance.now();
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) diag[j] = g[j * n + j];
  // float32 storage is reused for B; float64 is copied into a new float32 B.
  const b = g instanceof Float32Array ? g : new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) b[row + j] = -g[row + j] / diag[j];
    b[row + i] = 0;
  }
  if (timings) Object.assign(timings, { gramS: (t1 - t0) / 1000, inverseS: (t2 - t1) / 1000, weightsS: (performance.now() - t2) / 1000 });
  return b;
}

/**
 * The dual's shared part. With K = (λI + XXᵀ)⁻¹ over the m active users, Z = K·X (m × n) and
 * Q = XᵀKX: (λI + XᵀX)⁻¹ = (I − Q)/λ, so B_ij = Q_ij·s_j for i ≠ j with s_j = 1 / (1 − Q_jj).
 * Costs m³ (inverse) + m·nnz (Z) + nnz (s) — no items × items work.
 */
interface DualFactors {
  /** Row of each user in `z`, or −1 for users without interactions. */
  local: Int32Array;
  z: Float64Array;
  scale: Float64Array;
  byItem: Csr;
}

async function dualFactors(x: Csr, lambda: number, linalg: SolverLinalg): Promise<DualFactors> {
  const { threads } = linalg;
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
  await invertSpdInPlace(k, m, linalg);

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

  // Q_jj = Σ_{u ∈ users(j)} x_uj Z[u][j].
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let q = 0;
    for (let p = byItem.indptr[j]; p < byItem.indptr[j + 1]; p++) q += byItem.values[p] * z[local[byItem.indices[p]] * n + j];
    scale[j] = 1 / (1 - q);
  }
  return { local, z, scale, byItem };
}

/** B by the Woodbury identity (same B as the primal, exactly): row i = Σ_{u ∈ users(i)} x_ui Z[u, :] ⊙ s. */
export async function dualWeights(x: Csr, lambda: number, linalg: SolverLinalg): Promise<Float32Array> {
  const n = x.numCols;
  const { local, z, scale, byItem } = await dualFactors(x, lambda, linalg);
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

/**
 * Ranking scores of the users of `x` under EASE(λ) without forming B: since XQ = XXᵀKX =
 * X − λZ, a user's score (X·B)_uj for an item j they have not seen is −λ·Z_uj·s_j. Items they
 * have seen get a meaningless value (they are masked when ranking). Positive factor λ dropped.
 * Users without interactions score 0 everywhere. Used to compare many λ cheaply.
 */
export async function dualRankingScorer(x: Csr, lambda: number, linalg: SolverLinalg): Promise<(users: Int32Array, out: Float32Array) => void> {
  const n = x.numCols;
  const { local, z, scale } = await dualFactors(x, lambda, linalg);
  return (users, out) => {
    for (let r = 0; r < users.length; r++) {
      const a = local[users[r]], row = r * n;
      if (a < 0) {
        out.fill(0, row, row + n);
        continue;
      }
      const zr = a * n;
      for (let j = 0; j < n; j++) out[row + j] = -z[zr + j] * scale[j];
    }
  };
}

/** Scores of users from their interactions in `history` times a dense items × items B. */
export function scoreWithWeights(b: Float32Array, history: Csr, users: Int32Array, out: Float32Array): void {
  const n = history.numCols;
  out.fill(0, 0, users.length * n);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const row = r * n;
    for (let p = history.indptr[u]; p < history.indptr[u + 1]; p++) {
      const w = history.values[p];
      const from = history.indices[p] * n;
      for (let j = 0; j < n; j++) out[row + j] += w * b[from + j];
    }
  }
}
