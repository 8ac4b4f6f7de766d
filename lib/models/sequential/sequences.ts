import { groupRows } from "../../datasets/group-rows";
import type { InteractionTable } from "../../datasets/types";
import type { Rng } from "../../util/rng";

/**
 * Interaction sequences for the sequential models (GRU4Rec, Caser, SASRec). Items inside
 * tensors are shifted by one: token 0 is padding, token i + 1 is item i. Windows are
 * left-padded, so the most recent item is always the last column.
 */

/** Each user's items in time order: items of user u are items[indptr[u] .. indptr[u+1]). */
export interface UserSequences {
  numUsers: number;
  indptr: Int32Array;
  items: Int32Array;
  /** Timestamps parallel to `items` (unix seconds). */
  times: Float64Array;
}

/** Per-user chronological sequences of a table; ties in time keep the table's row order. */
export function buildUserSequences(table: InteractionTable, numUsers: number): UserSequences {
  const { start, order } = groupRows(table.users, numUsers);
  const ts = table.timestamps;
  const items = new Int32Array(order.length);
  const times = new Float64Array(order.length);
  for (let u = 0; u < numUsers; u++) {
    // groupRows keeps row order inside a user, so a stable sort by time breaks ties by row.
    const rows = Array.from(order.subarray(start[u], start[u + 1])).sort((a, b) => ts[a] - ts[b] || a - b);
    for (let k = 0; k < rows.length; k++) {
      items[start[u] + k] = table.items[rows[k]];
      times[start[u] + k] = ts[rows[k]];
    }
  }
  return { numUsers, indptr: start, items, times };
}

/**
 * Writes the last `maxLen` items of user `u` as tokens (item + 1), left-padded with 0, into
 * `out[offset .. offset + maxLen)`. Returns how many real items were written.
 */
export function fillRecentWindow(seqs: UserSequences, u: number, maxLen: number, out: Int32Array, offset: number): number {
  const end = u < seqs.numUsers ? seqs.indptr[u + 1] : 0;
  const begin = u < seqs.numUsers ? Math.max(seqs.indptr[u], end - maxLen) : 0;
  const n = end - begin;
  out.fill(0, offset, offset + maxLen - n);
  for (let k = 0; k < n; k++) out[offset + maxLen - n + k] = seqs.items[begin + k] + 1;
  return n;
}

/** Training windows: `inputs[w]` are tokens, `targets[w]` the next token at each column (0 = no target). */
export interface SequenceWindows {
  count: number;
  maxLen: number;
  inputs: Int32Array;
  targets: Int32Array;
  /** The user each window comes from. */
  users: Int32Array;
}

/** Which training windows an epoch uses; see buildWindows and pickEpochWindows. */
export const WINDOW_MODES = ["latest", "sampled", "all"] as const;
export type WindowMode = (typeof WINDOW_MODES)[number];

/**
 * Cuts every user's sequence into next-item windows of `maxLen` inputs, from the most recent
 * backwards: the newest window predicts items[t] from items[t-maxLen .. t-1], then older,
 * non-overlapping windows follow until every item has been a target once.
 */
export function buildWindows(seqs: UserSequences, maxLen: number): SequenceWindows {
  const spans: number[] = []; // (user, first target position, last target position + 1)
  for (let u = 0; u < seqs.numUsers; u++) {
    const first = seqs.indptr[u];
    let end = seqs.indptr[u + 1];
    while (end - first >= 2) {
      const begin = Math.max(first + 1, end - maxLen);
      spans.push(u, begin, end);
      end = begin;
    }
  }
  const count = spans.length / 3;
  const inputs = new Int32Array(count * maxLen);
  const targets = new Int32Array(count * maxLen);
  const users = new Int32Array(count);
  for (let w = 0; w < count; w++) {
    const [u, begin, end] = [spans[3 * w], spans[3 * w + 1], spans[3 * w + 2]];
    users[w] = u;
    const pad = maxLen - (end - begin);
    for (let k = 0; k < end - begin; k++) {
      inputs[w * maxLen + pad + k] = seqs.items[begin + k - 1] + 1;
      targets[w * maxLen + pad + k] = seqs.items[begin + k] + 1;
    }
  }
  return { count, maxLen, inputs, targets, users };
}

/**
 * The windows (indices into `windows`) one epoch trains on:
 * "all" — every window; "latest" — each user's newest; "sampled" — one window per user drawn
 * uniformly from that user's windows, so an epoch costs what "latest" costs while, over epochs,
 * every part of a long history is used.
 */
export function pickEpochWindows(windows: SequenceWindows, mode: WindowMode, rng: Rng): Int32Array {
  if (mode === "all") return Int32Array.from({ length: windows.count }, (_, i) => i);
  // buildWindows emits each user's windows contiguously, newest first.
  const picked: number[] = [];
  for (let w = 0; w < windows.count; ) {
    let end = w + 1;
    while (end < windows.count && windows.users[end] === windows.users[w]) end++;
    picked.push(mode === "latest" ? w : w + rng.int(end - w));
    w = end;
  }
  return Int32Array.from(picked);
}

/**
 * Sessions for session-based models: each user's sequence cut wherever two consecutive
 * interactions are more than `gapSeconds` apart (gapSeconds <= 0: one session per user, the
 * right default for data without session ids such as MovieLens, where a rating burst is not a
 * visit). Sessions shorter than two items are dropped. Returns start offsets into `seqs.items`;
 * session s is items[starts[s] .. ends[s]).
 */
export function buildSessions(seqs: UserSequences, gapSeconds: number): { starts: Int32Array; ends: Int32Array } {
  const starts: number[] = [], ends: number[] = [];
  for (let u = 0; u < seqs.numUsers; u++) {
    const first = seqs.indptr[u], last = seqs.indptr[u + 1];
    let begin = first;
    for (let p = first + 1; p <= last; p++) {
      const cut = p === last || (gapSeconds > 0 && seqs.times[p] - seqs.times[p - 1] > gapSeconds);
      if (!cut) continue;
      if (p - begin >= 2) {
        starts.push(begin);
        ends.push(p);
      }
      begin = p;
    }
  }
  return { starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/**
 * `seqs` with the rows of `table` appended after each user's items (in time order among
 * themselves, ties by row order): the histories a sequence model scores from after
 * `Recommender.observe`. Users beyond `seqs.numUsers` are ignored.
 */
export function appendRows(seqs: UserSequences, table: InteractionTable): UserSequences {
  const extra = buildUserSequences(table, seqs.numUsers);
  const n = seqs.numUsers;
  const indptr = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) indptr[u + 1] = indptr[u] + (seqs.indptr[u + 1] - seqs.indptr[u]) + (extra.indptr[u + 1] - extra.indptr[u]);
  const items = new Int32Array(indptr[n]);
  const times = new Float64Array(indptr[n]);
  for (let u = 0; u < n; u++) {
    let k = indptr[u];
    for (const s of [seqs, extra]) {
      for (let j = s.indptr[u]; j < s.indptr[u + 1]; j++, k++) {
        items[k] = s.items[j];
        times[k] = s.times[j];
      }
    }
  }
  return { numUsers: n, indptr, items, times };
}
