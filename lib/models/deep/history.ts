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
  return { indptr: train.indptr.slice(), indices: train.indices.slice() };
}

export function saveHistory(h: UserHistory): Record<string, Int32Array> {
  return { historyIndptr: h.indptr, historyIndices: h.indices };
}

export function loadHistory(state: ModelState, numUsers: number): UserHistory {
  const indptr = readInt32(state, "historyIndptr", numUsers + 1);
  return { indptr, indices: readInt32(state, "historyIndices", indptr[numUsers]) };
}

/** Row-major [users.length, numItems] 0/1 matrix of the users' histories. */
export function multiHot(h: UserHistory, users: ArrayLike<number>, numItems: number): Float32Array {
  const out = new Float32Array(users.length * numItems);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    if (u < 0 || u + 1 >= h.indptr.length) continue;
    for (let p = h.indptr[u]; p < h.indptr[u + 1]; p++) out[r * numItems + h.indices[p]] = 1;
  }
  return out;
}

/** Users with at least one training item (the ones an autoencoder can learn from). */
export function activeUsers(h: UserHistory): Int32Array {
  const out: number[] = [];
  for (let u = 0; u + 1 < h.indptr.length; u++) if (h.indptr[u + 1] > h.indptr[u]) out.push(u);
  return Int32Array.from(out);
}
