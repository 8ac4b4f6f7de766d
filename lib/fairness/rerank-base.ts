/**
 * The re-ranking seam. A re-ranker post-processes one user's candidate list (the base model's
 * top C with scores) into a list of K, greedily: at every step it takes the candidate with the
 * highest marginal value given the items S already chosen. Scores are min-max normalised per
 * user over the candidates first, so λ means the same for every user and every base model.
 * Ties go to the earlier candidate (the base model's order), so λ = 0 returns the base order.
 */
import { z } from "zod";
import type { PaperReference } from "../models/types";
import type { GenreVectors } from "./genres";

/** What a re-ranker may read about items (built once per dataset, see ./context.ts). */
export interface RerankContext {
  numItems: number;
  /** Genre vectors, when the dataset has genres or categories. */
  genres?: GenreVectors;
  /** 1 = long-tail (protected) item, 0 = short head. */
  tail?: Uint8Array;
  /** pop(i): training interactions per item. */
  popularity?: Float64Array;
}

export type RerankNeed = "genres" | "tail" | "popularity";

/** One user's input. `items` and `scores` are parallel (the candidates, usually best first). */
export interface UserCandidates {
  items: Int32Array;
  scores: Float32Array;
  /** The user's training items. */
  history: Int32Array;
}

/** Re-ranks one user: writes min(k, candidates) item indices to `out`, returns how many. */
export type UserReranker = (user: UserCandidates, k: number, out: Int32Array) => number;

/**
 * A registered re-ranker (lib/fairness/registry.ts): metadata for the UI, API validation and
 * tests, the item information it needs, its parameters, and a factory of per-user re-rankers.
 */
export interface RerankerDefinition<S extends z.ZodObject<z.ZodRawShape> = z.ZodObject<z.ZodRawShape>> {
  id: string;
  /** As the paper spells it. */
  displayName: string;
  /** One sentence on what it trades for what. */
  summary: string;
  paper: PaperReference;
  /** Context fields it reads; the registry refuses a context without them. */
  needs: readonly RerankNeed[];
  /** What the beyond-accuracy side of its trade-off curve is measured by. */
  objective: "ild" | "kl" | "aplt";
  paramsSchema: S;
  /** `params` are parsed (λ checked); `ctx` has every field in `needs`. */
  create(params: z.infer<S>, ctx: RerankContext): UserReranker;
}

/** The trade-off knob every re-ranker shares: 0 = the base ranking, 1 = the other objective only. */
export function lambdaField(meaning: string) {
  const range = "λ must be a number between 0 and 1";
  return z.number({ invalid_type_error: range }).min(0, range).max(1, range).default(0.5).describe(meaning);
}

/** The parameters of a re-ranker whose only knob is λ. */
export function lambdaParamsSchema(meaning: string) {
  return z.object({ lambda: lambdaField(meaning) });
}

/**
 * Greedy selection over a user's candidates, the shared loop of every re-ranker. Subclasses
 * give the marginal value of candidate `a` (position in the candidate list) and update their
 * running state when a candidate is chosen; both must be O(numGenres) or better, so a step
 * costs O(C·g). Scratch arrays are reused across users: no allocation per user once grown.
 */
export abstract class GreedyReranker {
  /** Normalised scores s_a ∈ [0, 1] of the current user's candidates. */
  protected s: Float64Array = new Float64Array(0);
  private taken = new Uint8Array(0);
  /** Candidates of the current user (items) and their count. */
  protected items: Int32Array = new Int32Array(0);
  protected n = 0;
  /** Items chosen so far for the current user. */
  protected chosen = 0;

  /** Bound for registries: `(user, k, out) => count`. */
  readonly rerank: UserReranker = (user, k, out) => this.run(user, k, out);

  /** Prepares per-user state (history profile, coverage flags...) for a list of up to `k`. */
  protected abstract begin(user: UserCandidates, k: number): void;
  /** Marginal value of adding candidate `a` to the chosen set. */
  protected abstract gain(a: number): number;
  /** Records that candidate `a` (item `item`) was chosen. */
  protected abstract take(a: number, item: number): void;

  private run(user: UserCandidates, k: number, out: Int32Array): number {
    const n = user.items.length;
    this.s = grown(this.s, n);
    if (this.taken.length < n) this.taken = new Uint8Array(n);
    this.n = n;
    this.items = user.items;
    this.chosen = 0;
    normaliseScores(user.scores, this.s);
    this.taken.fill(0, 0, n);
    this.begin(user, k);
    const m = Math.min(k, n);
    for (let step = 0; step < m; step++) {
      let best = -1;
      let bestValue = -Infinity;
      for (let a = 0; a < n; a++) {
        if (this.taken[a]) continue;
        const v = this.gain(a);
        if (best < 0 || v > bestValue) {
          best = a;
          bestValue = v;
        }
      }
      this.taken[best] = 1;
      out[step] = user.items[best];
      this.take(best, user.items[best]);
      this.chosen++;
    }
    return m;
  }
}

/** `buffer` when it holds at least `n` values, else a new zeroed one of length `n` (scratch reuse). */
export function grown(buffer: Float64Array, n: number): Float64Array {
  return buffer.length >= n ? buffer : new Float64Array(n);
}

/**
 * s_a = (x_a − min) / (max − min + 1e−12) over the candidates, into `out` (as the reference).
 * Non-finite scores (a masked item that slipped in) become 0.
 */
export function normaliseScores(scores: Float32Array, out: Float64Array): void {
  const n = scores.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let a = 0; a < n; a++) {
    const x = scores[a];
    if (!Number.isFinite(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const range = hi - lo + 1e-12;
  for (let a = 0; a < n; a++) out[a] = Number.isFinite(scores[a]) ? (scores[a] - lo) / range : 0;
}
