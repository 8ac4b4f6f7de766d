import type { Csr } from "../../datasets/types";
import type { SimulationEnvironment } from "../../simulation/environment";
import type { SlatePolicy, SlotOutcome, Visit } from "../../simulation/types";
import { Rng } from "../../util/rng";
import { HistoryMask, topItems } from "./slate";

/**
 * An online run of one policy against an environment's ground truth, measuring regret against
 * the oracle — what the A/B engine does not report, because regret needs each visit's expected
 * value under the truth. Per visit: a random user, the policy's slate, outcomes drawn from the
 * position-based model (slot k examined with probability examination(k), clicked with the
 * user's attraction), then observe(). The oracle shows the K unseen items of highest attraction,
 * the most attractive where examination is highest, which maximises Σ_k examination(k) ·
 * attraction (rearrangement inequality).
 * Regret is pseudo-regret (expected clicks of the oracle's slate minus the policy's), so it does
 * not carry the click noise. Dwell after a click is log-normal with a median of
 * dwellMedianSeconds · (1 + 4 · attraction) and σ = 0.8 — this loop's own assumption, only the DQN
 * reads it.
 */
export type GroundTruth = Pick<SimulationEnvironment, "numUsers" | "numItems" | "attraction" | "examination">;

export interface OnlineLoopOptions {
  visits: number;
  slateSize: number;
  seed: number;
  /** Each user's starting history (training interactions), by user row. */
  histories: Csr;
  /** Append clicked items to the user's history (as the simulator does); off keeps it fixed. */
  growHistory: boolean;
  dwellMedianSeconds?: number;
}

export interface OnlineCurve {
  /** Cumulative expected clicks of the policy and of the oracle, and their difference, per visit. */
  expected: Float64Array;
  oracle: Float64Array;
  regret: Float64Array;
  /** Cumulative realised clicks and dwell seconds. */
  clicks: Float64Array;
  dwellSeconds: Float64Array;
}

export function runOnline(env: GroundTruth, policy: SlatePolicy, o: OnlineLoopOptions): OnlineCurve {
  // Separate streams: every policy run with the same seed meets the same sequence of users.
  const users = new Rng(o.seed);
  const rng = users.fork();
  const k = Math.min(o.slateSize, env.numItems);
  const exam = env.examination(k);
  // The oracle pairs the highest attractions with the highest examination probabilities.
  const examDescending = Float64Array.from(exam).sort().reverse();
  const allItems = Int32Array.from({ length: env.numItems }, (_, i) => i);
  const histories = Array.from({ length: env.numUsers }, (_, u) => o.histories.indices.slice(o.histories.indptr[u], o.histories.indptr[u + 1]));
  const sessions = new Int32Array(env.numUsers);
  const mask = new HistoryMask(env.numItems);
  const curve: OnlineCurve = {
    expected: new Float64Array(o.visits),
    oracle: new Float64Array(o.visits),
    regret: new Float64Array(o.visits),
    clicks: new Float64Array(o.visits),
    dwellSeconds: new Float64Array(o.visits),
  };
  let expected = 0, oracle = 0, clicks = 0, dwell = 0;
  for (let t = 0; t < o.visits; t++) {
    const user = users.int(env.numUsers);
    const visit: Visit = { user, visitor: user, session: sessions[user]++, history: histories[user] };
    const attraction = env.attraction(user, allItems);
    const slate = policy.recommend(visit, k);
    const best = mask.with(visit.history, (excluded) => topItems(attraction, excluded, k));
    const outcomes: SlotOutcome[] = [];
    const clicked: number[] = [];
    for (let slot = 0; slot < slate.items.length; slot++) {
      const a = attraction[slate.items[slot]];
      expected += exam[slot] * a;
      const examined = rng.next() < exam[slot];
      const click = examined && rng.next() < a;
      const seconds = click ? (o.dwellMedianSeconds ?? 30) * (1 + 4 * a) * Math.exp(0.8 * rng.normal()) : 0;
      outcomes.push({ examined, clicked: click, dwellSeconds: seconds, converted: false });
      if (click) clicked.push(slate.items[slot]);
      clicks += click ? 1 : 0;
      dwell += seconds;
    }
    for (let slot = 0; slot < best.length; slot++) oracle += examDescending[slot] * attraction[best[slot]];
    policy.observe?.(visit, slate, outcomes);
    if (o.growHistory && clicked.length > 0) histories[user] = Int32Array.from([...visit.history, ...clicked]);
    curve.expected[t] = expected;
    curve.oracle[t] = oracle;
    curve.regret[t] = oracle - expected;
    curve.clicks[t] = clicks;
    curve.dwellSeconds[t] = dwell;
  }
  return curve;
}

/**
 * Slopes of cumulative regret over the first and the last quarter of the visits (regret per
 * visit); sub-linear growth shows as last < first.
 */
export function regretSlopes(regret: Float64Array): { first: number; last: number } {
  const n = regret.length, q = Math.floor(n / 4);
  return { first: regret[q - 1] / q, last: (regret[n - 1] - regret[n - 1 - q]) / q };
}
