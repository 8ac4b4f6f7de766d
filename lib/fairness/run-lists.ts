import type { Csr } from "../datasets/types";
import { badInput } from "../errors";

/**
 * The stored facts a bias report reads besides per-user metrics: every evaluated user's test
 * top-K list (K = max ks), training popularity and test interactions per item, and training
 * activity per user. Saved once at test evaluation as the run artefact TOP_LISTS_ARTIFACT.
 */
export const TOP_LISTS_ARTIFACT = "test-top-lists";

export interface RunLists {
  /** Slots per list (max K). */
  k: number;
  /** Evaluated users, in the order of the per-user metric vectors. */
  users: Int32Array;
  /** users.length × k items, row-major; -1 past a short list. */
  items: Int32Array;
  /** Training interactions per item. */
  popularity: Float32Array;
  /** Test interactions per item. */
  relevance: Float32Array;
  /** Training interactions per user (every user of the dataset). */
  activity: Int32Array;
}

/** Row counts of a CSR matrix (per user) and column counts (per item). */
function rowCounts(m: Csr): Int32Array {
  const out = new Int32Array(m.numRows);
  for (let u = 0; u < m.numRows; u++) out[u] = m.indptr[u + 1] - m.indptr[u];
  return out;
}

function columnCounts(m: Csr): Float32Array {
  const out = new Float32Array(m.numCols);
  for (let p = 0, end = m.indptr[m.numRows]; p < end; p++) out[m.indices[p]]++;
  return out;
}

export function buildRunLists(train: Csr, test: Csr, users: Int32Array, lists: { k: number; items: Int32Array }): RunLists {
  if (lists.items.length !== users.length * lists.k) throw badInput(`${lists.items.length} list slots for ${users.length} users × ${lists.k}`);
  return { k: lists.k, users, items: lists.items, popularity: columnCounts(train), relevance: columnCounts(test), activity: rowCounts(train) };
}

const MAGIC = 0x52544b31; // "RTK1"

/**
 * Layout (little-endian int32/float32): magic, k, users, items, numUsers (activity length), then
 * users, items (users × k), popularity, relevance (items each), activity.
 */
export function encodeRunLists(l: RunLists): Uint8Array {
  const n = l.users.length, numItems = l.popularity.length, numUsers = l.activity.length;
  const words = 5 + n + n * l.k + 2 * numItems + numUsers;
  const bytes = new Uint8Array(4 * words);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const int = (v: number) => (view.setInt32(at, v, true), (at += 4));
  const float = (v: number) => (view.setFloat32(at, v, true), (at += 4));
  int(MAGIC), int(l.k), int(n), int(numItems), int(numUsers);
  l.users.forEach(int);
  l.items.forEach(int);
  l.popularity.forEach(float);
  l.relevance.forEach(float);
  l.activity.forEach(int);
  return bytes;
}

/** Inverse of encodeRunLists; BAD_INPUT on anything else. */
export function decodeRunLists(bytes: Uint8Array): RunLists {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 20 || view.getInt32(0, true) !== MAGIC) throw badInput("not an encoded top-K list block");
  const [k, n, numItems, numUsers] = [1, 2, 3, 4].map((i) => view.getInt32(4 * i, true));
  if (bytes.byteLength !== 4 * (5 + n + n * k + 2 * numItems + numUsers)) throw badInput("top-K list block has the wrong size");
  let at = 20;
  const ints = (len: number) => Int32Array.from({ length: len }, () => ((at += 4), view.getInt32(at - 4, true)));
  const floats = (len: number) => Float32Array.from({ length: len }, () => ((at += 4), view.getFloat32(at - 4, true)));
  const users = ints(n);
  const items = ints(n * k);
  const popularity = floats(numItems);
  const relevance = floats(numItems);
  return { k, users, items, popularity, relevance, activity: ints(numUsers) };
}
