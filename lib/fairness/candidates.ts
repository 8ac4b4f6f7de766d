import type { Csr } from "../datasets/types";
import { badInput } from "../errors";
import { topK } from "../metrics/top-k";
import type { Scorer } from "../metrics/evaluate";

/**
 * Every user's candidate list for re-ranking, row-major with a fixed stride `size` (= C):
 * row r holds `counts[r]` items of `users[r]`, best first, and their base scores.
 */
export interface CandidateLists {
  users: Int32Array;
  size: number;
  counts: Int32Array;
  items: Int32Array;
  scores: Float32Array;
}

/**
 * The base model's top `size` items per user with `exclude` masked (ties: lower item index
 * first). A user with fewer unmasked items gets fewer candidates.
 */
export function topCandidates(score: Scorer, users: Int32Array, numItems: number, exclude: readonly Csr[], size: number, batchSize = 256): CandidateLists {
  const n = users.length;
  const out: CandidateLists = { users, size, counts: new Int32Array(n), items: new Int32Array(n * size), scores: new Float32Array(n * size) };
  const buffer = new Float32Array(Math.min(batchSize, Math.max(n, 1)) * numItems);
  const top = new Int32Array(size);
  for (let start = 0; start < n; start += batchSize) {
    const batch = users.subarray(start, Math.min(n, start + batchSize));
    score(batch, buffer);
    for (let r = 0; r < batch.length; r++) {
      const u = batch[r];
      const base = r * numItems;
      for (const m of exclude) {
        if (u >= m.numRows) continue;
        for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) buffer[base + m.indices[p]] = -Infinity;
      }
      const row = start + r;
      const count = topK(buffer, base, numItems, size, top);
      out.counts[row] = count;
      for (let i = 0; i < count; i++) {
        out.items[row * size + i] = top[i];
        out.scores[row * size + i] = buffer[base + top[i]];
      }
    }
  }
  return out;
}

/** Run artefact kind of a finished ranking run's top-C test candidates (input of re-ranking). */
export const CANDIDATES_ARTIFACT = "rerank-candidates";
/** C: candidates kept per evaluated test user; re-rankers pick their K from these. */
export const RERANK_CANDIDATES = 100;

const MAGIC = 0x52434331; // "RCC1"

/**
 * Binary layout (little-endian): u32 magic "RCC1", u32 users n, u32 size C, then `users` (n ×
 * int32), `counts` (n × int32), then each user's counts[r] items (int32) and as many scores
 * (float32), rows packed without padding. Bounded: at most 8 + 8n + 8nC bytes, i.e. ~0.8 KB per
 * test user at C = 100 (MovieLens 100K: 943 users, 0.75 MB; 1M: 6,040 users, 4.9 MB).
 */
export function encodeCandidates(c: CandidateLists): Uint8Array {
  const n = c.users.length;
  let total = 0;
  for (let r = 0; r < n; r++) total += c.counts[r];
  const bytes = new Uint8Array(12 + 8 * n + 8 * total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, n, true);
  view.setUint32(8, c.size, true);
  let at = 12;
  for (let r = 0; r < n; r++, at += 4) view.setInt32(at, c.users[r], true);
  for (let r = 0; r < n; r++, at += 4) view.setInt32(at, c.counts[r], true);
  for (let r = 0; r < n; r++) for (let i = 0; i < c.counts[r]; i++, at += 4) view.setInt32(at, c.items[r * c.size + i], true);
  for (let r = 0; r < n; r++) for (let i = 0; i < c.counts[r]; i++, at += 4) view.setFloat32(at, c.scores[r * c.size + i], true);
  return bytes;
}

/** Inverse of encodeCandidates; throws BAD_INPUT on bytes that are not an encoded candidate block. */
export function decodeCandidates(bytes: Uint8Array): CandidateLists {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || view.getUint32(0, true) !== MAGIC) throw badInput("not an encoded candidate block");
  const n = view.getUint32(4, true);
  const size = view.getUint32(8, true);
  if (12 + 8 * n > bytes.byteLength) throw badInput("candidate block truncated");
  const out: CandidateLists = { users: new Int32Array(n), size, counts: new Int32Array(n), items: new Int32Array(n * size), scores: new Float32Array(n * size) };
  let at = 12;
  for (let r = 0; r < n; r++, at += 4) out.users[r] = view.getInt32(at, true);
  let total = 0;
  for (let r = 0; r < n; r++, at += 4) {
    out.counts[r] = view.getInt32(at, true);
    if (out.counts[r] < 0 || out.counts[r] > size) throw badInput("candidate block has a row longer than its size");
    total += out.counts[r];
  }
  if (at + 8 * total !== bytes.byteLength) throw badInput("candidate block truncated");
  for (let r = 0; r < n; r++) for (let i = 0; i < out.counts[r]; i++, at += 4) out.items[r * size + i] = view.getInt32(at, true);
  for (let r = 0; r < n; r++) for (let i = 0; i < out.counts[r]; i++, at += 4) out.scores[r * size + i] = view.getFloat32(at, true);
  return out;
}
