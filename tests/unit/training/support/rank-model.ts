import type { FitContext, Recommender } from "@/lib/models/types";

/**
 * A test double whose whole state is the rank at which it puts the one relevant item (item 0)
 * among `numItems`, so validation NDCG@10 is 1 / log2(rank + 1) and every trainer decision is
 * predictable. `fit` moves the rank through `setRank`.
 */
export function rankModel(numItems: number, fit: (setRank: (rank: number) => void, ctx: FitContext) => Promise<void>): Recommender {
  let rank = numItems;
  return {
    fit: (_data, ctx) => fit((r) => (rank = r), ctx),
    score(users, out) {
      for (let r = 0; r < users.length; r++) {
        for (let j = 1; j < numItems; j++) out[r * numItems + j] = numItems - j;
        out[r * numItems] = numItems - rank + 0.5;
      }
    },
    save: () => ({ json: { rank }, arrays: {} }),
    load: (state) => {
      rank = Number(state.json.rank);
    },
  };
}
