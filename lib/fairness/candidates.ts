import type { Csr } from "../datasets/types";
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
