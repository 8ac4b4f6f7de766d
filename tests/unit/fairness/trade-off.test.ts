import { describe, expect, it } from "vitest";
import { buildCsr } from "@/lib/datasets/csr";
import { topCandidates } from "@/lib/fairness/candidates";
import { listMetrics, tradeOffCurve } from "@/lib/fairness/trade-off";
import { tinyContext } from "./fixtures";

const csr = (rows: number[][], numCols = 6) =>
  buildCsr(rows.length, numCols, Int32Array.from(rows.flatMap((r, u) => r.map(() => u))), Int32Array.from(rows.flat()));

describe("trade-off metrics (local to lib/fairness)", () => {
  it("NDCG@K, ILD, APLT and KL by hand; users without truth are skipped", () => {
    // User 0: list [0, 2] (K = 2), truth {2}; user 1: no truth; user 2: list [3, 5], truth {3, 5}.
    const lists = { users: Int32Array.from([0, 1, 2]), k: 2, counts: Int32Array.from([2, 2, 2]), items: Int32Array.from([0, 2, 0, 1, 3, 5]) };
    const truth = csr([[2], [], [3, 5]]);
    const history = csr([[0, 2], [1], [5]]);
    const m = listMetrics(lists, truth, history, tinyContext);
    // NDCG: user 0 (1/log2 3) / 1; user 2: 1.
    expect(m.ndcg).toBeCloseTo((1 / Math.log2(3) + 1) / 2, 12);
    // ILD: cos(A, B) = 0 → 1; cos(A+B, C) = 0 → 1.
    expect(m.ild).toBeCloseTo(1, 12);
    // APLT: user 0: item 2 of 2; user 2: item 3 of 2.
    expect(m.aplt).toBeCloseTo(0.5, 12);
    // KL: user 0: p = q = (.5, .5) → 0; user 2: p = C only, q = (A .25, B .25, C .5): ln(1 / (.99·.5 + .01)).
    expect(m.kl).toBeCloseTo(Math.log(1 / 0.505) / 2, 12);
  });

  it("a curve point per λ with accuracy, beyond metrics and time", () => {
    const candidates = { users: Int32Array.from([0]), size: 4, counts: Int32Array.from([4]), items: Int32Array.from([0, 1, 2, 3]), scores: Float32Array.from([1, 0.9, 0.5, 0]) };
    const points = tradeOffCurve("mmr", [0, 0.5], { ctx: tinyContext, candidates, history: csr([[4]]), truth: csr([[2]]), k: 2 });
    expect(points.map((p) => p.lambda)).toEqual([0, 0.5]);
    expect(points[0].accuracy.ndcg).toBe(0); // [0, 1]
    expect(points[1].accuracy.ndcg).toBeCloseTo(1 / Math.log2(3), 12); // [0, 2]
    expect(points[0].beyond.ild).toBeCloseTo(0, 12);
    expect(points[1].beyond.ild).toBeCloseTo(1, 12);
    expect(points[1].seconds).toBeGreaterThanOrEqual(0);
  });
});

describe("candidates", () => {
  it("the top C per user with known items masked, ties to the lower item index, fewer when few are left", () => {
    const scores = [
      [0.1, 0.9, 0.5, 0.5, 0.2, 0.7],
      [1, 1, 1, 1, 1, 1],
    ];
    const scorer = (users: Int32Array, out: Float32Array) => users.forEach((u, r) => out.set(scores[u], r * 6));
    const exclude = csr([[1], [0, 1, 2, 3]]);
    const c = topCandidates(scorer, Int32Array.from([0, 1]), 6, [exclude], 3);
    expect(Array.from(c.counts)).toEqual([3, 2]);
    expect(Array.from(c.items.subarray(0, 3))).toEqual([5, 2, 3]);
    expect(Array.from(c.scores.subarray(0, 3))).toEqual([0.7, 0.5, 0.5].map(Math.fround));
    expect(Array.from(c.items.subarray(3, 5))).toEqual([4, 5]);
  });
});
