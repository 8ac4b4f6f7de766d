import { buildCsr } from "../../datasets/csr";
import type { Csr } from "../../datasets/types";
import { evaluateRanking, type Scorer } from "../../metrics/evaluate";
import { Rng } from "../../util/rng";

/**
 * Picks EASE's ridge λ the way a practitioner would with a validation split, but inside `fit`,
 * so it works on whatever the model is fitted on (train, or train + validation for a final
 * refit): a seeded share of every user's interactions is held out, EASE(λ) is fitted on the rest
 * for candidate λ values and ranked by NDCG@10 on the held-out items (the rest masked), and the
 * winner is rescaled to the full data. The best λ moves with the data (about 400 on MovieLens
 * 100K, 100 on latest-small), so no single default suits every catalogue.
 */

/** Share of each user's interactions held out to score the candidates. */
export const HOLDOUT_FRACTION = 0.1;

/** Candidate λ values (a 1-2-5 series); the search walks it from START_INDEX while NDCG@10 improves. */
export const LAMBDA_GRID: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000];
const START_INDEX = LAMBDA_GRID.indexOf(200);

export interface LambdaTrial {
  lambda: number;
  /** NDCG@10 on the held-out interactions. */
  ndcg: number;
}

export interface LambdaSearchResult {
  /** The λ to fit on the full data: the best candidate scaled by 1 / (1 − HOLDOUT_FRACTION). */
  lambda: number;
  /** Every candidate tried, in the order tried. */
  trials: LambdaTrial[];
  holdoutUsers: number;
}

/** Builds a ranking scorer for EASE(λ) fitted on `fit` (the solver decides how). */
export type ScorerFactory = (fit: Csr, lambda: number) => Promise<Scorer>;

/**
 * Holds out round(fraction · n) random interactions of every user with n of them (none for users
 * with fewer than 1 / (2·fraction) interactions). Returns the remaining and the held-out matrices.
 */
export function holdoutSplit(x: Csr, fraction: number, rng: Rng): { fit: Csr; heldOut: Csr } {
  const keep = { users: [] as number[], items: [] as number[], values: [] as number[] };
  const out = { users: [] as number[], items: [] as number[], values: [] as number[] };
  for (let u = 0; u < x.numRows; u++) {
    const start = x.indptr[u], n = x.indptr[u + 1] - start;
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, k) => start + k));
    const held = Math.round(n * fraction);
    order.forEach((p, k) => {
      const to = k < held ? out : keep;
      to.users.push(u);
      to.items.push(x.indices[p]);
      to.values.push(x.values[p]);
    });
  }
  const csr = (c: typeof keep) => buildCsr(x.numRows, x.numCols, Int32Array.from(c.users), Int32Array.from(c.items), Float32Array.from(c.values));
  return { fit: csr(keep), heldOut: csr(out) };
}

/**
 * Searches LAMBDA_GRID for the best holdout NDCG@10: from START_INDEX upwards while it improves,
 * else downwards (one optimum on a log scale is assumed — ridge curves have one), then once more
 * at the geometric midpoints beside the best. Null when no user has a held-out interaction.
 */
export async function searchLambda(x: Csr, scorerFor: ScorerFactory, seed: number): Promise<LambdaSearchResult | null> {
  const { fit, heldOut } = holdoutSplit(x, HOLDOUT_FRACTION, new Rng(seed));
  const trials: LambdaTrial[] = [];
  let holdoutUsers = 0;
  const tryLambda = async (lambda: number): Promise<number> => {
    const result = evaluateRanking(await scorerFor(fit, lambda), { numItems: x.numCols, truth: heldOut, exclude: [fit], ks: [10], metrics: ["ndcg"] });
    holdoutUsers = result.numUsers;
    const ndcg = result.summary["ndcg@10"];
    trials.push({ lambda, ndcg });
    return ndcg;
  };

  let best = START_INDEX;
  let bestNdcg = await tryLambda(LAMBDA_GRID[best]);
  if (holdoutUsers === 0) return null;
  for (const step of [1, -1]) {
    let moved = false;
    for (let i = best + step; i >= 0 && i < LAMBDA_GRID.length; i += step) {
      const ndcg = await tryLambda(LAMBDA_GRID[i]);
      if (!(ndcg > bestNdcg)) break;
      [best, bestNdcg, moved] = [i, ndcg, true];
    }
    if (moved) break; // improved upwards: no need to look downwards
  }
  let lambda = LAMBDA_GRID[best];
  for (const neighbour of [best - 1, best + 1]) {
    if (neighbour < 0 || neighbour >= LAMBDA_GRID.length) continue;
    const midpoint = Math.sqrt(LAMBDA_GRID[best] * LAMBDA_GRID[neighbour]);
    const ndcg = await tryLambda(midpoint);
    if (ndcg > bestNdcg) [lambda, bestNdcg] = [midpoint, ndcg];
  }
  // XᵀX grows with the number of interactions; the same ridge on the full data is λ / (1 − f).
  return { lambda: lambda / (1 - HOLDOUT_FRACTION), trials, holdoutUsers };
}
