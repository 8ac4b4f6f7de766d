import { describe, expect, it } from "vitest";
import { buildCsr } from "@/lib/datasets/csr";
import { rerankedRecommender } from "@/lib/ab-tests/run-arm-model";
import type { Recommender } from "@/lib/models/types";

/** Item scores 6, 5, 4, 3, 2, 1 for every user. */
const base: Recommender = {
  fit: async () => undefined,
  save: () => ({ json: {}, arrays: {} }),
  load: () => undefined,
  score(users, out) {
    for (let r = 0; r < users.length; r++) for (let i = 0; i < 6; i++) out[r * 6 + i] = 6 - i;
  },
};

// Training interactions: item popularity 3, 0, 1, 2, 3, 4 (item 5 most popular, item 1 least).
const rows = [[0, 4, 5], [0, 3, 4, 5], [0, 2, 3, 4, 5], [5]];
const train = buildCsr(4, 6, Int32Array.from(rows.flatMap((items, u) => items.map(() => u))), Int32Array.from(rows.flat()));
// User 3 also has item 1 in validation: it is known, so never re-ranked into the slate.
const validation = buildCsr(4, 6, Int32Array.of(3), Int32Array.of(1));

const topOf = (model: Recommender, user: number, k: number, known: number[]) => {
  const out = new Float32Array(6);
  model.score(Int32Array.of(user), out);
  return [...out.keys()].filter((i) => !known.includes(i)).sort((a, b) => out[b] - out[a] || a - b).slice(0, k);
};

describe("a re-ranked variant as an A/B arm", () => {
  it("λ = 0 keeps the base order of the user's new items", () => {
    const model = rerankedRecommender(base, train, [train, validation], {}, "popularity-penalty", { lambda: 0 });
    expect(topOf(model, 3, 4, [5, 1])).toEqual([0, 2, 3, 4]);
  });

  it("λ = 1 ranks the user's new items from least to most popular, known items left out", () => {
    const model = rerankedRecommender(base, train, [train, validation], {}, "popularity-penalty", { lambda: 1 });
    // User 3 knows items 5 (train) and 1 (validation); the rest by popularity 1 (item 2), 2 (item 3), 3 (items 0 and 4, base order).
    expect(topOf(model, 3, 4, [5, 1])).toEqual([2, 3, 0, 4]);
    // The re-ranked items score above every other item, so a policy's top-K is the variant's list.
    const out = new Float32Array(6);
    model.score(Int32Array.of(3), out);
    expect(Math.min(out[2], out[3], out[0], out[4])).toBeGreaterThan(Math.max(out[5], out[1]));
  });
});
