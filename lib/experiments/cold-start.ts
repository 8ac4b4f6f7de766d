import type { Csr } from "../datasets/types";
import type { Scorer } from "../metrics/evaluate";
import type { ModelDefinition } from "../models/types";
import { mix32 } from "../training/seeding";

/**
 * Evaluation under the item cold-start split: a held-out part is ranked only among its own
 * items (every training and validation item is masked for test), for users with at least one
 * held-out interaction.
 *
 * Models that cannot score unseen items (pure collaborative filtering: their learned weights
 * for an item come only from its training interactions) give those items −Infinity or one
 * constant score. The shared evaluator breaks ties by the lower item index, and item ids are
 * not random (MovieLens numbers older, more popular films first), so a tie-broken-by-index list
 * would look better than chance. Here ties among the candidates are broken by a seeded hash of
 * (user, item) instead: a model with constant scores is ranked at random — its metrics are
 * what a random ordering of the held-out items gets — and the run reports how many users it
 * could not score at all.
 */

/** The items of one part (0 train, 1 validation, 2 test) of an item cold-start split, ascending. */
export function itemsOfPart(itemPart: Uint8Array, part: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < itemPart.length; i++) if (itemPart[i] === part) out.push(i);
  return Int32Array.from(out);
}

/**
 * A mask (rows = users, as `truth`) of every item outside `allowed`, for the users that have a
 * relevant item: what the trainer's validation needs to rank among the validation items only.
 * Size = users with truth × items not allowed.
 */
export function maskOutside(truth: Csr, allowed: Uint8Array): Csr {
  const disallowed: number[] = [];
  for (let i = 0; i < truth.numCols; i++) if (!allowed[i]) disallowed.push(i);
  const rows: number[] = [];
  for (let u = 0; u < truth.numRows; u++) if (truth.indptr[u + 1] > truth.indptr[u]) rows.push(u);
  const indptr = new Int32Array(truth.numRows + 1);
  const indices = new Int32Array(rows.length * disallowed.length);
  let at = 0;
  let next = 0;
  for (let u = 0; u < truth.numRows; u++) {
    if (next < rows.length && rows[next] === u) {
      indices.set(disallowed, at);
      at += disallowed.length;
      next++;
    }
    indptr[u + 1] = at;
  }
  return { numRows: truth.numRows, numCols: truth.numCols, indptr, indices, values: new Float32Array(at).fill(1) };
}

export interface CandidateRankingStats {
  /** Users whose candidate scores were all equal (or all −Infinity): ranked purely at random. */
  constantScoreUsers: number;
  users: number;
}

/**
 * Wraps a scorer so that only `candidates` can be recommended: their scores are replaced by
 * their rank (C − position, ties broken by a seeded hash of user and item), everything else
 * becomes −Infinity. The order among distinct scores is the model's own.
 */
export function rankAmongCandidates(score: Scorer, numItems: number, candidates: Int32Array, seed: number, stats: CandidateRankingStats): Scorer {
  const c = candidates.length;
  const values = new Float64Array(c);
  const keys = new Uint32Array(c);
  const order = new Int32Array(c);
  return (users, out) => {
    score(users, out);
    for (let r = 0; r < users.length; r++) {
      const base = r * numItems;
      let constant = true;
      for (let k = 0; k < c; k++) {
        const v = out[base + candidates[k]];
        values[k] = Number.isNaN(v) ? -Infinity : v;
        if (values[k] !== values[0]) constant = false;
        keys[k] = mix32(mix32(seed, users[r]), candidates[k]);
        order[k] = k;
      }
      stats.users++;
      if (constant) stats.constantScoreUsers++;
      order.sort((a, b) => (values[b] > values[a] ? 1 : values[b] < values[a] ? -1 : keys[a] - keys[b]));
      out.fill(-Infinity, base, base + numItems);
      for (let p = 0; p < c; p++) out[base + candidates[order[p]]] = c - p;
    }
  };
}

/**
 * Whether a model can be evaluated on users it never saw in training (user cold start): it
 * scores from a history (`scoreHistories`: autoencoders, sequence models) or its scores do not
 * depend on the user. Factor and neighbourhood models learn per-user state and cannot.
 */
export function scoresUnseenUsers(definition: ModelDefinition): boolean {
  if (definition.scoresAnyUser) return true;
  const probe = definition.create(definition.paramsSchema.parse({}), 1, 1);
  return typeof probe.scoreHistories === "function";
}

/** Why a model cannot run a user cold-start split, in a sentence. */
export function userColdStartRefusal(definition: ModelDefinition, capable: string[]): string {
  return `Split: ${definition.displayName} cannot score users unseen in training (it learns state for each training user), so it cannot run a user cold-start split; models that score from a user's history can: ${capable.join(", ")}`;
}
