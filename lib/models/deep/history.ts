import type { Csr } from "../../datasets/types";
import type { ModelState } from "../types";
import { readInt32 } from "../shared/state";

/**
 * The users' training items, which autoencoders (and other models that score from a user's
 * history) need at scoring time: kept in ModelState so a loaded model scores like the fitted one.
 */
export interface UserHistory {
  indptr: Int32Array;
  indices: Int32Array;
}

export function historyOf(train: Csr): UserHistory {
  const indices = train.indices.slice();
  // Each user's items ascending: the autoencoders' sparse rows then copy them as they are.
  for (let u = 0; u + 1 < train.indptr.length; u++) indices.subarray(train.indptr[u], train.indptr[u + 1]).sort();
  return { indptr: train.indptr.slice(), indices };
}

export function saveHistory(h: UserHistory): Record<string, Int32Array> {
  return { historyIndptr: h.indptr, historyIndices: h.indices };
}

export function loadHistory(state: ModelState, numUsers: number): UserHistory {
  const indptr = readInt32(state, "historyIndptr", numUsers + 1);
  return { indptr, indices: readInt32(state, "historyIndices", indptr[numUsers]) };
}

/** Users with at least one training item (the ones an autoencoder can learn from). */
export function activeUsers(h: UserHistory): Int32Array {
  const out: number[] = [];
  for (let u = 0; u + 1 < h.indptr.length; u++) if (h.indptr[u + 1] > h.indptr[u]) out.push(u);
  return Int32Array.from(out);
}
