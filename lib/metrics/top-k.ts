/**
 * Top-K selection over one row of a score matrix: the hot path of evaluation and of
 * `recommend()`. A bounded binary min-heap keeps the K best seen so far, so a row costs
 * O(length log K) and usually close to O(length), since most scores lose to the heap's root.
 */

import { nativeLinalg } from "../models/linalg/native-kernel";

// Scratch heap shared by every call (JavaScript is single-threaded); grown, never shrunk.
let heapScores = new Float64Array(64);
let heapItems = new Int32Array(64);

/** Whether (sa, ia) ranks below (sb, ib): lower score, or equal score and higher item index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** Restores the min-heap property (worst at the root) below position `at` of a heap of `size`. */
function siftDown(at: number, size: number): void {
  const s = heapScores[at];
  const it = heapItems[at];
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (right < size && worse(heapScores[right], heapItems[right], heapScores[left], heapItems[left])) child = right;
    if (!worse(heapScores[child], heapItems[child], s, it)) break;
    heapScores[at] = heapScores[child];
    heapItems[at] = heapItems[child];
    at = child;
  }
  heapScores[at] = s;
  heapItems[at] = it;
}

function siftUp(at: number): void {
  const s = heapScores[at];
  const it = heapItems[at];
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!worse(s, it, heapScores[parent], heapItems[parent])) break;
    heapScores[at] = heapScores[parent];
    heapItems[at] = heapItems[parent];
    at = parent;
  }
  heapScores[at] = s;
  heapItems[at] = it;
}

/**
 * Writes to `out` the item indices (0-based within the row) of the `k` highest scores in
 * `scores[offset .. offset + length)`, best first; ties go to the lower item index, so the result
 * is deterministic. -Infinity (masked) and NaN scores are never selected, so fewer than `k` items
 * may be written. Returns how many were written (≤ min(k, length); `out.length` must be ≥ that).
 */
export function topK(scores: Float32Array, offset: number, length: number, k: number, out: Int32Array): number {
  if (k <= 0) return 0;
  // The same list from the addon when built (native/linalg/eval-kernels.h): the order is total.
  const native = nativeLinalg()?.addon.top_k_f32;
  return native ? native(scores, offset, length, k, out) : topKJs(scores, offset, length, k, out);
}

/** `topK` in JavaScript (the path without the addon, and the reference of its top_k_f32). */
export function topKJs(scores: Float32Array, offset: number, length: number, k: number, out: Int32Array): number {
  if (k <= 0) return 0;
  if (heapScores.length < k) {
    heapScores = new Float64Array(k);
    heapItems = new Int32Array(k);
  }
  let size = 0;
  for (let item = 0; item < length; item++) {
    const s = scores[offset + item];
    if (s === -Infinity || s !== s) continue; // masked or NaN
    if (size < k) {
      heapScores[size] = s;
      heapItems[size] = item;
      siftUp(size++);
    } else if (s > heapScores[0]) {
      // An equal score never displaces the root: the root has a lower item index.
      heapScores[0] = s;
      heapItems[0] = item;
      siftDown(0, size);
    }
  }
  // Pop the worst to the back until empty: out ends up best first.
  const count = size;
  while (size > 0) {
    out[size - 1] = heapItems[0];
    size--;
    heapScores[0] = heapScores[size];
    heapItems[0] = heapItems[size];
    siftDown(0, size);
  }
  return count;
}
