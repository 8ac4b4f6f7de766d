import type { Csr } from "../datasets/types";
import type { Scorer } from "../metrics/evaluate";
import { topK } from "../metrics/top-k";
import type { Recommender } from "../models/types";
import { Rng } from "../util/rng";
import type { SimulationEnvironment } from "./environment";
import type { PositionMarginals, Slate, SlatePolicy, Visit } from "./types";

/** Candidates kept per user beyond K, so items consumed during the test can be skipped without rescoring. */
const CANDIDATE_MARGIN = 64;
/** Users scored per `model.score` call. */
const SCORE_BATCH = 128;

/**
 * A trained run as an arm: its top-K unseen items per visit (training items and everything in the
 * visit's history — the user's interactions and clicks so far — are never shown). Each user's
 * ranked candidates are computed once, a batch of users at a time, and reused on every visit.
 * With `epsilon` > 0 each slot is explored with probability epsilon: it shows an item drawn
 * uniformly from the items outside the model's top-K and the exclusions (distinct within the
 * slate), and the slate carries the exact marginal propensities (1 − ε for the model's item at
 * its slot, ε / pool size for a pool item) so the arm's logs support off-policy evaluation.
 */
export function policyFromRecommender(model: Recommender, train: Csr, numItems: number, options: { epsilon?: number; seed: number }): SlatePolicy {
  const epsilon = options.epsilon ?? 0;
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
  return new RankedPolicy((users, out) => model.score(users, out), train, train.numRows, numItems, epsilon, options.seed);
}

/** The ε-greedy top-K policy over any scorer (a trained model, or the ground truth for an oracle). */
export class RankedPolicy implements SlatePolicy {
  private readonly candidates = new Map<number, Int32Array>();
  private candidateSize = 0;
  private readonly marks: Int32Array;
  private readonly excludedBuffer: Int32Array;
  private stamp = 0;
  private readonly rng: Rng;

  constructor(
    private readonly score: Scorer,
    private readonly train: Csr | null,
    private readonly numUsers: number,
    private readonly numItems: number,
    private readonly epsilon: number,
    seed: number,
  ) {
    this.marks = new Int32Array(numItems);
    this.excludedBuffer = new Int32Array(numItems);
    this.rng = new Rng(seed);
  }

  recommend(visit: Visit, k: number): Slate {
    const m = this.marginals(visit, k); // leaves the excluded and top-K items marked with this.stamp
    if (this.epsilon === 0) return { items: m.items };
    const items = m.items.slice();
    const propensities = new Float64Array(items.length).fill(1 - m.explore);
    for (let p = 0; p < items.length; p++) {
      if (m.explore === 0 || this.rng.next() >= m.explore) continue;
      let j: number;
      do j = this.rng.int(this.numItems);
      while (this.marks[j] === this.stamp);
      this.marks[j] = this.stamp; // distinct within the slate
      items[p] = j;
      propensities[p] = m.explore / m.poolSize;
    }
    return { items, propensities };
  }

  marginals(visit: Visit, k: number): PositionMarginals {
    const stamp = ++this.stamp;
    const marks = this.marks;
    const excluded = this.excludedBuffer;
    let count = 0;
    const mark = (j: number) => {
      if (marks[j] !== stamp) {
        marks[j] = stamp;
        excluded[count++] = j;
      }
    };
    const t = this.train;
    if (t && visit.user < t.numRows) for (let p = t.indptr[visit.user]; p < t.indptr[visit.user + 1]; p++) mark(t.indices[p]);
    for (let i = 0; i < visit.history.length; i++) mark(visit.history[i]);
    const items = this.topUnmarked(visit.user, k, stamp);
    for (let i = 0; i < items.length; i++) marks[items[i]] = stamp;
    const poolSize = this.numItems - count - items.length;
    // Exploration needs as many pool items as slots; a user who has seen nearly everything is served greedily.
    const explore = poolSize >= items.length ? this.epsilon : 0;
    return { items, explore, excluded: excluded.slice(0, count), poolSize };
  }

  /** The user's best k candidates not marked with `stamp`; rescored in full when the cached list runs out. */
  private topUnmarked(user: number, k: number, stamp: number): Int32Array {
    const list = this.candidatesOf(user, k);
    const out = new Int32Array(Math.min(k, this.numItems));
    let n = 0;
    for (let i = 0; i < list.length && n < out.length; i++) if (this.marks[list[i]] !== stamp) out[n++] = list[i];
    if (n === out.length || list.length < this.candidateSize) return out.subarray(0, n);
    const scores = new Float32Array(this.numItems);
    this.score(Int32Array.of(user), scores);
    for (let j = 0; j < this.numItems; j++) if (this.marks[j] === stamp) scores[j] = -Infinity;
    return out.subarray(0, topK(scores, 0, this.numItems, out.length, out));
  }

  private candidatesOf(user: number, k: number): Int32Array {
    const size = Math.min(this.numItems, k + CANDIDATE_MARGIN);
    if (size > this.candidateSize) {
      this.candidates.clear();
      this.candidateSize = size;
    }
    const cached = this.candidates.get(user);
    if (cached) return cached;
    const first = Math.floor(user / SCORE_BATCH) * SCORE_BATCH;
    if (user < 0 || user >= this.numUsers) throw new RangeError(`user ${user} is outside [0, ${this.numUsers})`);
    const users = Int32Array.from({ length: Math.min(SCORE_BATCH, this.numUsers - first) }, (_, r) => first + r);
    const n = this.numItems;
    const scores = new Float32Array(users.length * n);
    this.score(users, scores);
    const top = new Int32Array(this.candidateSize);
    const t = this.train;
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      if (t && u < t.numRows) for (let p = t.indptr[u]; p < t.indptr[u + 1]; p++) scores[r * n + t.indices[p]] = -Infinity;
      this.candidates.set(u, top.slice(0, topK(scores, r * n, n, this.candidateSize, top)));
    }
    return this.candidates.get(user)!;
  }
}

/**
 * The oracle: the ground truth's most attractive unseen items, best first (what regret is
 * measured against). Deterministic.
 */
export function oraclePolicy(env: SimulationEnvironment): SlatePolicy {
  const all = Int32Array.from({ length: env.numItems }, (_, j) => j);
  const scorer: Scorer = (users, out) => {
    for (let r = 0; r < users.length; r++) out.set(env.attraction(users[r], all), r * env.numItems);
  };
  return new RankedPolicy(scorer, null, env.numUsers, env.numItems, 0, 0);
}

/**
 * Distinct items drawn uniformly from those not in the visit's history: the floor any
 * recommender should beat. Every slot's marginal propensity is 1 / pool size.
 */
export function randomPolicy(numItems: number, seed: number): SlatePolicy {
  const rng = new Rng(seed);
  const marks = new Int32Array(numItems);
  let stamp = 0;
  return {
    recommend(visit, k) {
      stamp++;
      let excluded = 0;
      for (const j of visit.history) if (marks[j] !== stamp) (marks[j] = stamp), excluded++;
      const pool = numItems - excluded;
      const items = new Int32Array(Math.min(k, pool));
      for (let p = 0; p < items.length; p++) {
        let j: number;
        do j = rng.int(numItems);
        while (marks[j] === stamp);
        marks[j] = stamp;
        items[p] = j;
      }
      return { items, propensities: new Float64Array(items.length).fill(1 / pool) };
    },
  };
}
