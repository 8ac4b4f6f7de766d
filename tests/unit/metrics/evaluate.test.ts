import { describe, expect, it } from "vitest";
import { buildCsr } from "@/lib/datasets/csr";
import type { Csr } from "@/lib/datasets/types";
import {
  averagePopularity,
  exposureCounts,
  exposureEntropyBits,
  giniIndex,
  intraListDiversity,
  miscalibration,
  noveltyBits,
} from "@/lib/metrics/beyond";
import { buildBeyondContext } from "@/lib/metrics/beyond-context";
import { evaluateRanking, evaluateRating, type RankingEvalResult, type Scorer } from "@/lib/metrics/evaluate";
import { f1AtK, hitRateAtK, mapAtK, mrrAtK, ndcgAtK, precisionAtK, recallAtK } from "@/lib/metrics/ranking";
import { BEYOND_METRIC_IDS } from "@/lib/metrics/registry";
import { Rng } from "@/lib/util/rng";

function csr(numItems: number, rows: number[][]): Csr {
  const us: number[] = [];
  const is: number[] = [];
  rows.forEach((items, u) => items.forEach((i) => (us.push(u), is.push(i))));
  return buildCsr(rows.length, numItems, Int32Array.from(us), Int32Array.from(is));
}

/** A scorer over a dense users × items matrix (row-major). */
function denseScorer(matrix: Float32Array, numItems: number): Scorer {
  return (users, out) => {
    for (let r = 0; r < users.length; r++) out.set(matrix.subarray(users[r] * numItems, (users[r] + 1) * numItems), r * numItems);
  };
}

// Hand-built case: 4 users × 6 items.
//   u0: train {0};    truth {1, 4} -> ranking 1 2 3 4 5      hits at ranks 1, 4
//   u1: train {3};    truth {2, 5} -> ranking 1 2 5 4 0      (1 and 2 tie: lower index first) hits at 2, 3
//   u2: no truth                   -> skipped
//   u3: train {0,1,2}, valid {3}; truth {5} -> ranking 4 5 (shorter than K = 5)  hit at 2
// The scorer rates masked items highest, so a missed mask would show.
const numItems = 6;
const matrix = Float32Array.from([
  0.9, 0.8, 0.7, 0.6, 0.5, 0.4,
  0.1, 0.5, 0.5, 0.9, 0.2, 0.3,
  0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
  0.6, 0.5, 0.4, 0.3, 0.2, 0.1,
]);
const train = csr(numItems, [[0], [3], [], [0, 1, 2]]);
const valid = csr(numItems, [[], [], [], [3]]);
const truth = csr(numItems, [[1, 4], [2, 5], [], [5]]);
const baseOptions = { numItems, truth, exclude: [train, valid], ks: [1, 3, 5] };

const L2 = 1 / Math.log2(3); // discount at rank 2
const L4 = 1 / Math.log2(5); // discount at rank 4
const L3 = 1 / Math.log2(4); // discount at rank 3

// Per-user expectations [u0, u1, u3], computed by hand from the rankings above.
const expected: Record<string, [number, number, number]> = {
  "precision@1": [1, 0, 0],
  "precision@3": [1 / 3, 2 / 3, 1 / 3],
  "precision@5": [2 / 5, 2 / 5, 1 / 5],
  "recall@1": [1 / 2, 0, 0],
  "recall@3": [1 / 2, 1, 1],
  "recall@5": [1, 1, 1],
  "f1@1": [2 / 3, 0, 0],
  "f1@3": [2 / 5, 4 / 5, 1 / 2],
  "f1@5": [4 / 7, 4 / 7, 1 / 3],
  "map@1": [1, 0, 0],
  "map@3": [1 / 2, (1 / 2 + 2 / 3) / 2, 1 / 2],
  "map@5": [(1 + 2 / 4) / 2, (1 / 2 + 2 / 3) / 2, 1 / 2],
  "ndcg@1": [1, 0, 0],
  "ndcg@3": [1 / (1 + L2), (L2 + L3) / (1 + L2), L2],
  "ndcg@5": [(1 + L4) / (1 + L2), (L2 + L3) / (1 + L2), L2],
  "mrr@1": [1, 0, 0],
  "mrr@3": [1, 1 / 2, 1 / 2],
  "mrr@5": [1, 1 / 2, 1 / 2],
  "hit@1": [1, 0, 0],
  "hit@3": [1, 1, 1],
  "hit@5": [1, 1, 1],
  // AUC over the unmasked items: u0 positives 1 (.8) and 4 (.5) against 2, 3, 5 win 3 + 1 of 6
  // pairs; u1 positive 2 (.5) beats 0 and 4 and ties 1, positive 5 (.3) beats 0 and 4: 4.5 of 6;
  // u3's only positive 5 (.1) loses to the only negative 4 (.2).
  auc: [4 / 6, 4.5 / 6, 0],
};

function expectSameResult(a: RankingEvalResult, b: RankingEvalResult): void {
  expect(a.numUsers).toBe(b.numUsers);
  expect(a.summary).toEqual(b.summary);
  expect(a.perUser).toEqual(b.perUser);
}

describe("evaluateRanking on a hand-built case", () => {
  const result = evaluateRanking(denseScorer(matrix, numItems), baseOptions);

  it("skips the user without truth", () => {
    expect(result.numUsers).toBe(3);
    expect(Array.from(result.perUser.users)).toEqual([0, 1, 3]);
  });

  it("computes every ranking metric per user and their means", () => {
    expect(Object.keys(result.perUser.values).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, perUser] of Object.entries(expected)) {
      Array.from(result.perUser.values[key]).forEach((v, j) => expect(v, `${key} user #${j}`).toBeCloseTo(perUser[j], 6));
      expect(result.summary[key], key).toBeCloseTo((perUser[0] + perUser[1] + perUser[2]) / 3, 12);
    }
  });

  it("computes catalogue coverage at every K", () => {
    // top-1: {1, 4}; top-3: {1,2,3} ∪ {1,2,5} ∪ {4,5}; top-5: all six.
    expect(result.summary["coverage@1"]).toBeCloseTo(2 / 6, 12);
    expect(result.summary["coverage@3"]).toBeCloseTo(5 / 6, 12);
    expect(result.summary["coverage@5"]).toBe(1);
    expect(result.perUser.values["coverage@5"]).toBeUndefined();
    expect(result.seconds).toBeGreaterThanOrEqual(0);
  });

  it("gives the same result for every batch size", () => {
    for (const batchSize of [1, 2, 3, 1000]) {
      expectSameResult(evaluateRanking(denseScorer(matrix, numItems), { ...baseOptions, batchSize }), result);
    }
  });

  it("masks every exclusion matrix", () => {
    // Without the validation mask u3 ranks item 3 first; without any mask u0 ranks item 0 first.
    const trainOnly = evaluateRanking(denseScorer(matrix, numItems), { ...baseOptions, exclude: [train] });
    expect(trainOnly.perUser.values["mrr@5"][2]).toBeCloseTo(1 / 3, 6);
    const unmasked = evaluateRanking(denseScorer(matrix, numItems), {
      ...baseOptions,
      exclude: [],
      truth: csr(numItems, [[0], [], [], []]),
    });
    expect(unmasked.summary["hit@1"]).toBe(1);
    const masked = evaluateRanking(denseScorer(matrix, numItems), { ...baseOptions, truth: csr(numItems, [[0], [], [], []]) });
    expect(masked.summary["hit@5"]).toBe(0); // a relevant item that is also excluded can never be hit
  });

  it("evaluates only the requested users, in their order, still skipping users without truth", () => {
    const r = evaluateRanking(denseScorer(matrix, numItems), { ...baseOptions, users: Int32Array.from([3, 2, 0]) });
    expect(Array.from(r.perUser.users)).toEqual([3, 0]);
    expect(r.perUser.values["ndcg@3"][0]).toBeCloseTo(L2, 6);
    expect(r.summary["precision@5"]).toBeCloseTo((1 / 5 + 2 / 5) / 2, 12);
    expect(r.summary["coverage@1"]).toBeCloseTo(2 / 6, 12); // {1} ∪ {4}
  });

  it("computes only the requested metrics and cut-offs", () => {
    const r = evaluateRanking(denseScorer(matrix, numItems), { ...baseOptions, metrics: ["ndcg", "hit"], ks: [3] });
    expect(Object.keys(r.summary)).toEqual(["ndcg@3", "hit@3"]);
    expect(r.summary["hit@3"]).toBe(1);
  });

  it("uses the default cut-offs and metrics", () => {
    const r = evaluateRanking(denseScorer(matrix, numItems), { numItems, truth, exclude: [train] });
    expect(Object.keys(r.summary)).toHaveLength(8 * 3 + 1);
    expect(r.summary.auc).toBeDefined();
    expect(r.summary["ndcg@20"]).toBeDefined();
    expect(r.summary["coverage@10"]).toBe(1);
  });

  it("ignores NaN scores from the scorer", () => {
    const noisy = matrix.slice();
    noisy[0 * numItems + 1] = NaN; // u0's best unmasked item
    const r = evaluateRanking(denseScorer(noisy, numItems), baseOptions);
    expect(r.perUser.values["mrr@5"][0]).toBeCloseTo(1 / 3, 6); // item 4 now at rank 3 of 2 3 4 5
  });

  it("rejects rating metrics, unknown metrics and bad cut-offs", () => {
    const score = denseScorer(matrix, numItems);
    expect(() => evaluateRanking(score, { ...baseOptions, metrics: ["rmse"] })).toThrow(/rating metric/);
    expect(() => evaluateRanking(score, { ...baseOptions, metrics: ["roc"] })).toThrow(/unknown metric/);
    expect(() => evaluateRanking(score, { ...baseOptions, metrics: ["gini"] })).toThrow(/options.beyond/);
    expect(() => evaluateRanking(score, { ...baseOptions, ks: [0] })).toThrow(/ks/);
    expect(() => evaluateRanking(score, { ...baseOptions, numItems: 5 })).toThrow(/columns/);
  });

  it("returns NaN means and zero coverage when no user has truth", () => {
    const r = evaluateRanking(denseScorer(matrix, numItems), { ...baseOptions, truth: csr(numItems, [[], [], [], []]) });
    expect(r.numUsers).toBe(0);
    expect(r.summary["ndcg@5"]).toBeNaN();
    expect(r.summary["coverage@5"]).toBe(0);
  });
});

describe("evaluateRanking with beyond-accuracy metrics", () => {
  // pop = [2, 1, 1, 1, 0, 0] (Σ 5, 20% = 1: head {0}); Popularity's order 0 1 2 3 4 5.
  // Top-3 lists: u0 [1 2 3], u1 [1 2 5], u3 [4 5]. Popularity's top 3 with the same masks:
  // u0 [1 2 3], u1 [0 1 2], u3 [4 5].
  const genres = [["a"], ["a", "b"], ["b"], [], ["c"], ["a"]];
  const beyond = buildBeyondContext({ train, genres });
  const options = { ...baseOptions, ks: [3], beyond };
  const result = evaluateRanking(denseScorer(matrix, numItems), options);
  const lists = [Int32Array.from([1, 2, 3]), Int32Array.from([1, 2, 5]), Int32Array.from([4, 5])];
  const histories = [[0], [3], [0, 1, 2]].map((h) => Int32Array.from(h));
  const mean = (f: (list: Int32Array, j: number) => number) => lists.reduce((sum, l, j) => sum + f(l, j), 0) / lists.length;

  const handCases = [
    { label: "ARP: (1 + 2/3 + 0) / 3", key: "arp@3", expected: 5 / 9 },
    { label: "APLT: every item but 0 is tail, u3's list is short", key: "aplt@3", expected: (1 + 1 + 2 / 3) / 3 },
    { label: "serendipity: only u1's hit on item 5 is not Popularity's", key: "serendipity@3", expected: 1 / 9 },
    { label: "head exposure: item 0 is never recommended", key: "head-exposure@3", expected: 0 },
    { label: "coverage: items 1..5", key: "coverage@3", expected: 5 / 6 },
  ];
  for (const c of handCases) it(c.label, () => expect(result.summary[c.key]).toBeCloseTo(c.expected, 12));

  it("agrees with the metric functions on the same lists", () => {
    const counts = exposureCounts(lists, numItems, 3);
    expect(result.summary["gini@3"]).toBeCloseTo(giniIndex(counts), 12);
    expect(result.summary["entropy@3"]).toBeCloseTo(exposureEntropyBits(counts), 12);
    expect(result.summary["novelty@3"]).toBeCloseTo(mean((l) => noveltyBits(l, l.length, beyond.popularity, 4)), 12);
    expect(result.summary["ild@3"]).toBeCloseTo(mean((l) => intraListDiversity(l, l.length, beyond.categories!)), 12);
    expect(result.summary["miscalibration@3"]).toBeCloseTo(mean((l, j) => miscalibration(l, l.length, histories[j], beyond.categories!)), 12);
    expect(result.summary["arp@3"]).toBeCloseTo(mean((l) => averagePopularity(l, l.length, beyond.popularity)), 12);
  });

  it("computes every beyond-accuracy metric of the registry", () => {
    for (const id of BEYOND_METRIC_IDS) expect(Number.isFinite(result.summary[`${id}@3`]), id).toBe(true);
  });

  it("keeps per-user values for the accuracy metrics and AUC only", () => {
    expect(Object.keys(result.perUser.values).sort()).toEqual(["auc", "f1@3", "hit@3", "map@3", "mrr@3", "ndcg@3", "precision@3", "recall@3"]);
    expect(result.absent).toBeUndefined();
  });

  it("gives the same result for every batch size", () => {
    for (const batchSize of [1, 2, 1000]) expectSameResult(evaluateRanking(denseScorer(matrix, numItems), { ...options, batchSize }), result);
  });

  it("without categories: leaves out miscalibration, saying why, and measures ILD over the items' training users", () => {
    const beyond = buildBeyondContext({ train });
    const r = evaluateRanking(denseScorer(matrix, numItems), { ...options, beyond });
    expect(beyond.diversityBasis).toBe("interactions");
    expect(r.summary["miscalibration@3"]).toBeUndefined();
    expect(r.summary["ild@3"]).toBeCloseTo(mean((l) => intraListDiversity(l, l.length, beyond.diversityVectors)), 12);
    expect(r.summary["ild@3"]).not.toBeCloseTo(result.summary["ild@3"], 6);
    expect(r.summary["gini@3"]).toBeCloseTo(result.summary["gini@3"], 12);
    expect(r.absent).toEqual({ miscalibration: "the items have no categories" });
  });

  it("computes only the requested beyond-accuracy metrics", () => {
    const r = evaluateRanking(denseScorer(matrix, numItems), { ...options, metrics: ["serendipity", "auc"] });
    expect(Object.keys(r.summary)).toEqual(["auc", "serendipity@3"]);
  });
});

describe("evaluateRanking agrees with the per-user metric functions", () => {
  it("on a random case with ties and exclusions", () => {
    const rng = new Rng(3);
    const nu = 60, ni = 40, ks = [1, 5, 10, 50];
    const scores = Float32Array.from({ length: nu * ni }, () => rng.int(10) / 10);
    const rows = (p: number) => Array.from({ length: nu }, () => Array.from({ length: ni }, (_, i) => i).filter(() => rng.next() < p));
    const trainRows = rows(0.3);
    const truthRows = rows(0.15);
    const r = evaluateRanking(denseScorer(scores, ni), {
      numItems: ni,
      truth: csr(ni, truthRows),
      exclude: [csr(ni, trainRows)],
      ks,
      batchSize: 7,
    });
    const fns = { precision: precisionAtK, recall: recallAtK, f1: f1AtK, map: mapAtK, ndcg: ndcgAtK, mrr: mrrAtK, hit: hitRateAtK };
    let j = 0;
    for (let u = 0; u < nu; u++) {
      if (truthRows[u].length === 0) continue;
      expect(r.perUser.users[j]).toBe(u);
      const ranked = Int32Array.from(
        Array.from({ length: ni }, (_, i) => i)
          .filter((i) => !trainRows[u].includes(i))
          .sort((a, b) => scores[u * ni + b] - scores[u * ni + a] || a - b),
      );
      const relevant = Int32Array.from(truthRows[u]);
      for (const [id, fn] of Object.entries(fns)) {
        for (const k of ks) expect(r.perUser.values[`${id}@${k}`][j]).toBeCloseTo(fn(ranked, relevant, k), 6);
      }
      j++;
    }
    expect(r.numUsers).toBe(j);
  });
});

describe("evaluateRating", () => {
  const rows = { users: Int32Array.from([0, 1, 2]), items: Int32Array.from([4, 5, 6]), ratings: Float32Array.from([1, 5, 3]) };
  const predict = () => Float32Array.from([0.5, 6, 3]);

  it("computes MAE, MSE and RMSE", () => {
    // errors -0.5, +1, 0
    const r = evaluateRating(predict, rows);
    expect(r.count).toBe(3);
    expect(r.summary.mae).toBeCloseTo(0.5, 12);
    expect(r.summary.mse).toBeCloseTo(1.25 / 3, 12);
    expect(r.summary.rmse).toBeCloseTo(Math.sqrt(1.25 / 3), 12);
  });

  it("clamps predictions to the rating scale", () => {
    const r = evaluateRating(predict, rows, { min: 1, max: 5 });
    expect(r.summary).toEqual({ mae: 0, mse: 0, rmse: 0 });
  });

  it("passes the pairs to predict and checks its output length", () => {
    let seen: number[] = [];
    evaluateRating((u, i) => ((seen = [...u, ...i]), Float32Array.from([1, 5, 3])), rows);
    expect(seen).toEqual([0, 1, 2, 4, 5, 6]);
    expect(() => evaluateRating(() => new Float32Array(2), rows)).toThrow(/2 values for 3 rows/);
  });
});
