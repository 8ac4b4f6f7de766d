import type { Tensor } from "@tensorflow/tfjs";
import { jsKernel } from "../../training/js-kernel";
import type { Tf } from "../../training/tf-backend";
import { Rng } from "../../util/rng";
import { nativeLinalg } from "../linalg/native-kernel";
import type { UserHistory } from "./history";

/**
 * The user autoencoders' first layer on sparse input. A user's row of the [users × items] input
 * has a few dozen non-zeros among thousands of items; as a dense matrix its product with the
 * [items × h] encoder weights (and that product's weight gradient xᵀ·dy) was most of an epoch's
 * arithmetic on large catalogues. Here the product is an embedding bag: row r of x·W is the sum
 * of W's rows at row r's items, weighted by its values, and the gradient of W is the matching
 * scatter-add. Same values and gradients as the dense product (a test compares them).
 */

/** Rows of a sparse matrix, CSR: row r holds values[p] at column indices[p] for p in [indptr[r], indptr[r + 1]). */
export interface SparseRows {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * The 0/1 rows of `users`' histories, each item once and in increasing order (an out-of-range
 * user gets an empty row).
 */
export function historyRows(h: UserHistory, users: ArrayLike<number>): SparseRows {
  const valid = (u: number) => u >= 0 && u + 1 < h.indptr.length;
  let total = 0;
  for (let r = 0; r < users.length; r++) if (valid(users[r])) total += h.indptr[users[r] + 1] - h.indptr[users[r]];
  const indptr = new Int32Array(users.length + 1), items = new Int32Array(total);
  let k = 0;
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    if (valid(u)) {
      const row = h.indices.subarray(h.indptr[u], h.indptr[u + 1]);
      // Training rows are usually sorted without repeats already: copied as they are.
      if (strictlyIncreasing(row)) {
        items.set(row, k);
        k += row.length;
      } else {
        const sorted = row.slice().sort();
        for (let p = 0; p < sorted.length; p++) if (p === 0 || sorted[p] !== sorted[p - 1]) items[k++] = sorted[p];
      }
    }
    indptr[r + 1] = k;
  }
  return { indptr, indices: items.slice(0, k), values: new Float32Array(k).fill(1) };
}

function strictlyIncreasing(row: Int32Array): boolean {
  for (let p = 1; p < row.length; p++) if (row[p] <= row[p - 1]) return false;
  return true;
}

export interface InputScaling {
  /** Scale each row to unit L2 norm (Mult-VAE/DAE), before dropout as in the paper's code. */
  normalize?: boolean;
  /** Input dropout rate: each non-zero is kept with probability 1 − dropout, scaled by 1/(1 − dropout). */
  dropout?: number;
  /** Seed of the dropout mask (one uniform draw per non-zero, in row order). */
  seed?: number;
}

/**
 * The encoder's input from 0/1 rows: L2-normalised and/or corrupted by dropout, as tf.dropout of
 * the dense rows would (a dropped entry keeps its place with value 0). The mask is drawn per
 * non-zero from Rng(seed), so it is not tf.dropout's stream over the dense matrix.
 */
export function scaleRows(rows: SparseRows, { normalize = false, dropout = 0, seed = 0 }: InputScaling): SparseRows {
  const values = Float32Array.from(rows.values);
  if (normalize) {
    for (let r = 0; r + 1 < rows.indptr.length; r++) {
      let sq = 0;
      for (let p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) sq += values[p] * values[p];
      const scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
      for (let p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) values[p] *= scale;
    }
  }
  if (dropout > 0) {
    const rng = new Rng(seed), keep = 1 / (1 - dropout);
    for (let p = 0; p < values.length; p++) values[p] = rng.next() < dropout ? 0 : values[p] * keep;
  }
  return { indptr: rows.indptr, indices: rows.indices, values };
}

/** Row-major [rows, numColumns] dense copy of `rows` (tests, and the dense reference path). */
export function denseRows(rows: SparseRows, numColumns: number): Float32Array {
  const n = rows.indptr.length - 1;
  const out = new Float32Array(n * numColumns);
  for (let r = 0; r < n; r++) {
    for (let p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) out[r * numColumns + rows.indices[p]] += rows.values[p];
  }
  return out;
}

/**
 * `x · table` for sparse data rows x ([rows, table rows]) and a 2-D `table` ([table rows, w]):
 * [rows, w]. The gradient flows to `table` only (x is data): dTable = xᵀ·dy as a scatter-add of
 * dy's rows, a dense tensor like the weights (the optimizer is unchanged). Both directions are
 * JS kernels on tensor memory (lib/training/js-kernel.ts), run by the native addon's
 * add_rows_f32 when it is built (the same bits, ~10× faster).
 */
export function sparseMatMul(tf: Tf, x: SparseRows, table: Tensor): Tensor {
  const [numRows, w] = table.shape as [number, number];
  const n = x.indptr.length - 1;
  const op = tf.customGrad((...args) => {
    const [t] = args as unknown as [Tensor];
    const [value] = jsKernel(tf, [t], [[n, w]], ([src], [out]) => addRows(x, src, out, w, "gather"));
    return { value, gradFunc: (dy) => jsKernel(tf, [dy as Tensor], [[numRows, w]], ([g], [acc]) => addRows(x, g, acc, w, "scatter")) };
  });
  return op(table);
}

/**
 * For each non-zero (row r, column i, value v) of x, rows of width w: "gather" adds v · src[i] to
 * dst[r] (x · table); "scatter" adds v · src[r] to dst[i] (xᵀ · dy, its transpose). The native
 * addon's add_rows_f32 (native/linalg/train-kernels.h) when built, else addRowsLoop: the same bits.
 */
function addRows(x: SparseRows, src: Float32Array, dst: Float32Array, w: number, direction: "gather" | "scatter"): void {
  const native = nativeLinalg()?.addon.add_rows_f32;
  if (native) native(x.indptr, x.indices, x.values, src, dst, w, direction === "scatter" ? 1 : 0);
  else addRowsLoop(x, src, dst, w, direction);
}

/** addRows in JavaScript (zero values skipped, as dropout leaves them). */
export function addRowsLoop(x: SparseRows, src: Float32Array, dst: Float32Array, w: number, direction: "gather" | "scatter"): void {
  const { indptr, indices, values } = x;
  const gather = direction === "gather";
  for (let r = 0; r + 1 < indptr.length; r++) {
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      const v = values[p];
      if (v === 0) continue;
      const row = r * w, column = indices[p] * w;
      const from = gather ? column : row, to = gather ? row : column;
      for (let j = 0; j < w; j++) dst[to + j] += v * src[from + j];
    }
  }
}
