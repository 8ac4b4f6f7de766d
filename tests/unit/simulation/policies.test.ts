import { describe, expect, it } from "vitest";
import { buildCsr } from "@/lib/datasets/csr";
import { policyFromRecommender, randomPolicy } from "@/lib/simulation/policies";
import type { Visit } from "@/lib/simulation/types";
import { fixedScores } from "./fixtures";

// 12 items scored 11 − j (item 0 best); user 0 trained on items 0 and 2.
const NUM_ITEMS = 12;
const model = fixedScores(NUM_ITEMS, (_u, j) => NUM_ITEMS - 1 - j);
const train = buildCsr(2, NUM_ITEMS, Int32Array.of(0, 0), Int32Array.of(0, 2));
const visit = (history: number[] = []): Visit => ({ user: 0, visitor: 0, session: 0, history: Int32Array.from(history) });

describe("policyFromRecommender", () => {
  it("greedy: the model's top-K without training items and the visit's history, no propensities", () => {
    const policy = policyFromRecommender(model, train, NUM_ITEMS, { seed: 1 });
    const slate = policy.recommend(visit([1, 5]), 4);
    expect(Array.from(slate.items)).toEqual([3, 4, 6, 7]);
    expect(slate.propensities).toBeUndefined();
    const m = policy.marginals!(visit([1, 5]), 4);
    expect(m.explore).toBe(0);
    expect(Array.from(m.excluded).sort((a, b) => a - b)).toEqual([0, 1, 2, 5]);
    expect(m.poolSize).toBe(NUM_ITEMS - 4 - 4);
  });

  it("rescores in full when the cached candidates run out (history larger than the margin)", () => {
    const policy = policyFromRecommender(fixedScores(200, (_u, j) => 200 - j), buildCsr(1, 200, new Int32Array(0), new Int32Array(0)), 200, { seed: 1 });
    const history = Array.from({ length: 100 }, (_, j) => j);
    expect(Array.from(policy.recommend({ ...visit(history), user: 0 }, 3).items)).toEqual([100, 101, 102]);
  });

  it("ε-greedy: each slot shows the model's item with probability 1 − ε, else a uniform pool item; the logged propensities are exact", () => {
    const epsilon = 0.3;
    const policy = policyFromRecommender(model, train, NUM_ITEMS, { epsilon, seed: 7 });
    const k = 3;
    // Top-3 unseen: 1, 3, 4; pool: 12 − 2 training − 3 = 7 items {5, …, 11}.
    const counts = Array.from({ length: k }, () => new Float64Array(NUM_ITEMS));
    const n = 30_000;
    for (let t = 0; t < n; t++) {
      const slate = policy.recommend(visit(), k);
      expect(new Set(slate.items).size).toBe(k);
      for (let p = 0; p < k; p++) {
        const j = slate.items[p];
        counts[p][j]++;
        const expected = j === [1, 3, 4][p] ? 1 - epsilon : epsilon / 7;
        if (Math.abs(slate.propensities![p] - expected) > 1e-12) throw new Error(`slot ${p} item ${j}: propensity ${slate.propensities![p]}`);
      }
    }
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < NUM_ITEMS; j++) {
        const truth = j === [1, 3, 4][p] ? 1 - epsilon : j >= 5 ? epsilon / 7 : 0;
        expect(Math.abs(counts[p][j] / n - truth), `slot ${p}, item ${j}`).toBeLessThan(4 * Math.sqrt((truth * (1 - truth)) / n) + 1e-12);
      }
    }
  });

  it("marginals draw nothing: the same seed gives the same slates with or without calls to it", () => {
    const a = policyFromRecommender(model, train, NUM_ITEMS, { epsilon: 0.5, seed: 3 });
    const b = policyFromRecommender(model, train, NUM_ITEMS, { epsilon: 0.5, seed: 3 });
    for (let t = 0; t < 50; t++) {
      b.marginals!(visit([6]), 4);
      expect(Array.from(b.recommend(visit(), 4).items)).toEqual(Array.from(a.recommend(visit(), 4).items));
    }
  });

  it("refuses an exploration rate outside [0, 1]", () => {
    expect(() => policyFromRecommender(model, train, NUM_ITEMS, { epsilon: 1.5, seed: 1 })).toThrow(/epsilon/);
  });
});

describe("randomPolicy", () => {
  it("shows distinct unseen items with propensity 1 / pool size", () => {
    const policy = randomPolicy(NUM_ITEMS, 1);
    const slate = policy.recommend(visit([0, 1, 2]), 5);
    expect(new Set(slate.items).size).toBe(5);
    for (const j of slate.items) expect(j).toBeGreaterThan(2);
    expect(Array.from(slate.propensities!)).toEqual(Array(5).fill(1 / 9));
  });
});
