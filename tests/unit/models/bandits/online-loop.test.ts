import { describe, expect, it } from "vitest";
import { buildCsr } from "@/lib/datasets/csr";
import { regretSlopes, runOnline, type GroundTruth } from "@/lib/models/bandits/online-loop";
import type { SlatePolicy, Visit } from "@/lib/simulation/types";

/** One user, four items with attraction [0.1, 0.9, 0.5, 0.3]; item 1 is in the user's history. */
const env = (examination: number[]): GroundTruth => ({
  numUsers: 1,
  numItems: 4,
  attraction: (_user, items) => Float64Array.from(items, (i) => [0.1, 0.9, 0.5, 0.3][i]),
  examination: () => Float64Array.from(examination),
});
const histories = buildCsr(1, 4, Int32Array.of(0), Int32Array.of(1));
const fixed = (items: number[]): SlatePolicy & { seen: Visit[] } => {
  const seen: Visit[] = [];
  return { seen, recommend: () => ({ items: Int32Array.from(items) }), observe: (visit) => void seen.push(visit) };
};

describe("online loop", () => {
  it("measures pseudo-regret against the oracle slate of the best unseen items", () => {
    // Oracle: items 2 and 3 (item 1 is history) = 1 · 0.5 + 0.5 · 0.3 = 0.65 per visit; the
    // slate [0, 3] expects 1 · 0.1 + 0.5 · 0.3 = 0.25, so regret grows by 0.4 per visit.
    const policy = fixed([0, 3]);
    const curve = runOnline(env([1, 0.5]), policy, { visits: 10, slateSize: 2, seed: 1, histories, growHistory: false });
    expect(curve.oracle[9]).toBeCloseTo(6.5, 12);
    expect(curve.expected[9]).toBeCloseTo(2.5, 12);
    expect(curve.regret[9]).toBeCloseTo(4, 12);
    expect(policy.seen.map((v) => v.session)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(policy.seen[0].history)).toEqual([1]);
  });

  it("pairs the best item with the most examined slot when examination is not monotone", () => {
    // Examination [0.5, 1]: the oracle still earns 1 · 0.5 + 0.5 · 0.3; the slate [2, 3] earns
    // 0.5 · 0.5 + 1 · 0.3 = 0.55.
    const curve = runOnline(env([0.5, 1]), fixed([2, 3]), { visits: 4, slateSize: 2, seed: 1, histories, growHistory: false });
    expect(curve.regret[3]).toBeCloseTo(4 * (0.65 - 0.55), 12);
  });

  it("reads regret slopes over the first and last quarters", () => {
    const concave = Float64Array.from({ length: 8 }, (_, t) => Math.sqrt(t + 1));
    expect(regretSlopes(concave)).toEqual({ first: Math.SQRT2 / 2, last: (Math.sqrt(8) - Math.sqrt(6)) / 2 });
  });
});
