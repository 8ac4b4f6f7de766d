import { describe, expect, it } from "vitest";
import {
  f1AtK,
  hitRateAtK,
  mapAtK,
  mrrAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
} from "@/lib/metrics/ranking";

// Discounts 1/log2(rank + 1) for 1-based ranks 2..6.
const d2 = 1 / Math.log2(3);
const d3 = 1 / Math.log2(4);
const d5 = 1 / Math.log2(6);

interface Case {
  label: string;
  ranked: number[];
  relevant: number[];
  k: number;
  expected: { precision: number; recall: number; f1: number; ndcg: number; map: number; mrr: number; hit: number };
}

const cases: Case[] = [
  {
    // hits at ranks 2 and 5
    label: "two of three relevant items, list as long as K",
    ranked: [3, 1, 4, 0, 2],
    relevant: [1, 2, 7],
    k: 5,
    expected: {
      precision: 2 / 5,
      recall: 2 / 3,
      f1: 0.5, // 2 · 0.4 · 0.667 / 1.067
      ndcg: (d2 + d5) / (1 + d2 + d3),
      map: (1 / 2 + 2 / 5) / 3,
      mrr: 1 / 2,
      hit: 1,
    },
  },
  {
    label: "K longer than the list: precision still divides by K",
    ranked: [2, 5],
    relevant: [5],
    k: 5,
    expected: { precision: 1 / 5, recall: 1, f1: 1 / 3, ndcg: d2, map: 1 / 2, mrr: 1 / 2, hit: 1 },
  },
  {
    label: "K shorter than the list: ranks beyond K ignored",
    ranked: [9, 8, 7, 6],
    relevant: [6, 8],
    k: 2,
    expected: { precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, ndcg: d2 / (1 + d2), map: 1 / 2 / 2, mrr: 1 / 2, hit: 1 },
  },
  {
    label: "more relevant items than K: ideal DCG and MAP use min(|rel|, K)",
    ranked: [0, 1, 2],
    relevant: [0, 1, 2, 3, 4, 5],
    k: 3,
    expected: { precision: 1, recall: 1 / 2, f1: 2 / 3, ndcg: 1, map: 1, mrr: 1, hit: 1 },
  },
  {
    label: "duplicate relevant items count once",
    ranked: [4, 0],
    relevant: [0, 0],
    k: 2,
    expected: { precision: 1 / 2, recall: 1, f1: 2 / 3, ndcg: d2, map: 1 / 2, mrr: 1 / 2, hit: 1 },
  },
  {
    label: "no hit",
    ranked: [0, 1, 2],
    relevant: [5],
    k: 3,
    expected: { precision: 0, recall: 0, f1: 0, ndcg: 0, map: 0, mrr: 0, hit: 0 },
  },
  {
    label: "user with no relevant item scores 0 everywhere",
    ranked: [0, 1, 2],
    relevant: [],
    k: 3,
    expected: { precision: 0, recall: 0, f1: 0, ndcg: 0, map: 0, mrr: 0, hit: 0 },
  },
  {
    label: "empty list",
    ranked: [],
    relevant: [1],
    k: 10,
    expected: { precision: 0, recall: 0, f1: 0, ndcg: 0, map: 0, mrr: 0, hit: 0 },
  },
];

const functions = {
  precision: precisionAtK,
  recall: recallAtK,
  f1: f1AtK,
  ndcg: ndcgAtK,
  map: mapAtK,
  mrr: mrrAtK,
  hit: hitRateAtK,
};

describe("ranking metrics", () => {
  for (const c of cases) {
    it(c.label, () => {
      const ranked = Int32Array.from(c.ranked);
      const relevant = Int32Array.from(c.relevant);
      for (const [id, fn] of Object.entries(functions)) {
        const expected = c.expected[id as keyof Case["expected"]];
        expect(fn(ranked, relevant, c.k), `${id}@${c.k}`).toBeCloseTo(expected, 12);
      }
    });
  }
});
