import { buildCsr } from "@/lib/datasets/csr";
import type { Csr } from "@/lib/datasets/types";
import type { Recommender } from "@/lib/models/types";
import { Rng } from "@/lib/util/rng";

/**
 * A clustered toy catalogue: `clusters` groups of users and items; each user interacted with
 * `perUser` random items of their own cluster (and one random item elsewhere), so the ground
 * truth learns that a user likes their cluster's items.
 */
export function clusteredData(options: { users?: number; items?: number; clusters?: number; perUser?: number; seed?: number } = {}) {
  const { users = 240, items = 120, clusters = 4, perUser = 8, seed = 1 } = options;
  const rng = new Rng(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  const size = items / clusters;
  const clusterOf = (u: number) => u % clusters;
  for (let u = 0; u < users; u++) {
    const c = clusterOf(u);
    const chosen = new Set<number>();
    while (chosen.size < perUser) chosen.add(c * size + rng.int(size));
    chosen.add(rng.int(items));
    for (const i of chosen) rows.push(u), cols.push(i);
  }
  const interactions = buildCsr(users, items, Int32Array.from(rows), Int32Array.from(cols));
  return { numUsers: users, numItems: items, interactions, clusterOf, itemCluster: (i: number) => Math.floor(i / size) };
}

/** A fitted-looking model whose scores are given per user (same row for every user when one row). */
export function fixedScores(numItems: number, scoreOf: (user: number, item: number) => number): Recommender {
  return {
    async fit() {},
    score(users, out) {
      for (let r = 0; r < users.length; r++) for (let j = 0; j < numItems; j++) out[r * numItems + j] = scoreOf(users[r], j);
    },
    save: () => ({ json: {}, arrays: {} }),
    load() {},
  };
}

export const emptyCsr = (numRows: number, numCols: number): Csr => buildCsr(numRows, numCols, new Int32Array(0), new Int32Array(0));

export const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);
