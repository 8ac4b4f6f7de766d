import type { Csr, InteractionTable } from "./types";

/**
 * Builds a CSR matrix from coordinate columns, keeping the input order of entries within a row
 * (a counting sort by row). Duplicate (row, col) pairs are kept as given.
 */
export function buildCsr(
  numRows: number,
  numCols: number,
  rows: Int32Array,
  cols: Int32Array,
  values?: Float32Array,
): Csr {
  const n = rows.length;
  const indptr = new Int32Array(numRows + 1);
  for (let i = 0; i < n; i++) indptr[rows[i] + 1]++;
  for (let r = 0; r < numRows; r++) indptr[r + 1] += indptr[r];
  const cursor = indptr.slice(0, numRows);
  const indices = new Int32Array(n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const at = cursor[rows[i]]++;
    indices[at] = cols[i];
    out[at] = values ? values[i] : 1;
  }
  return { numRows, numCols, indptr, indices, values: out };
}

/** Selects rows of a table by index (e.g. the training part of a split). */
export function selectRows(table: InteractionTable, rows: Int32Array): InteractionTable {
  const n = rows.length;
  const out: InteractionTable = {
    users: new Int32Array(n),
    items: new Int32Array(n),
    ratings: new Float32Array(n),
    timestamps: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    out.users[i] = table.users[r];
    out.items[i] = table.items[r];
    out.ratings[i] = table.ratings[r];
    out.timestamps[i] = table.timestamps[r];
  }
  return out;
}

/** User-by-item CSR of a table; `implicit` sets every value to 1. */
export function tableToCsr(
  table: InteractionTable,
  numUsers: number,
  numItems: number,
  implicit: boolean,
): Csr {
  return buildCsr(numUsers, numItems, table.users, table.items, implicit ? undefined : table.ratings);
}

/** Transpose (item-by-user view of a user-by-item matrix). */
export function transposeCsr(m: Csr): Csr {
  const rows = new Int32Array(m.indices.length);
  for (let r = 0; r < m.numRows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) rows[p] = r;
  }
  return buildCsr(m.numCols, m.numRows, m.indices, rows, m.values);
}
