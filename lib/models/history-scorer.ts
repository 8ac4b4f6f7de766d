import type { Scorer } from "../metrics/evaluate";
import type { InteractionTable } from "../datasets/types";
import type { ItemLists, Recommender } from "./types";

/**
 * Histories by user: items of user u are items[indptr[u] .. indptr[u + 1]), oldest first (ties by
 * row order). Used for the fold-in rows of a user cold-start split.
 */
export function historiesByUser(table: InteractionTable, rows: Int32Array, numUsers: number): ItemLists {
  const sorted = Int32Array.from(rows).sort((a, b) => table.users[a] - table.users[b] || table.timestamps[a] - table.timestamps[b] || a - b);
  const indptr = new Int32Array(numUsers + 1);
  for (const r of sorted) indptr[table.users[r] + 1]++;
  for (let u = 0; u < numUsers; u++) indptr[u + 1] += indptr[u];
  return { indptr, items: Int32Array.from(sorted, (r) => table.items[r]) };
}

/**
 * Scores users from the given histories instead of anything learned about them (user cold
 * start): models with `scoreHistories` read each user's history; models whose scores do not
 * depend on the user (popularity) score as usual.
 */
export function historyScorer(model: Recommender, histories: ItemLists): Scorer {
  if (!model.scoreHistories) return (users, out) => model.score(users, out);
  return (users, out) => {
    const indptr = new Int32Array(users.length + 1);
    for (let r = 0; r < users.length; r++) indptr[r + 1] = indptr[r] + histories.indptr[users[r] + 1] - histories.indptr[users[r]];
    const items = new Int32Array(indptr[users.length]);
    for (let r = 0; r < users.length; r++) items.set(histories.items.subarray(histories.indptr[users[r]], histories.indptr[users[r] + 1]), indptr[r]);
    model.scoreHistories!(users, { indptr, items }, out);
  };
}
