import { describe, expect, it } from "vitest";
import { buildCsr } from "@/lib/datasets/csr";
import type { Csr } from "@/lib/datasets/types";
import { easeDefinition } from "@/lib/models/ease";
import { HOLDOUT_FRACTION, holdoutSplit, searchLambda } from "@/lib/models/ease/lambda-search";
import { dualRankingScorer, dualWeights, scoreWithWeights } from "@/lib/models/ease/solvers";
import { Rng } from "@/lib/util/rng";
import { allUsers, tinyTrainingData } from "../fixtures";

/** A random implicit user × item matrix with `perUser` distinct items per user. */
function randomMatrix(numUsers: number, numItems: number, perUser: number, seed: number): Csr {
  const rng = new Rng(seed);
  const users: number[] = [], items: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    const chosen = rng.shuffle(Int32Array.from({ length: numItems }, (_, i) => i)).subarray(0, perUser);
    for (const i of chosen) {
      users.push(u);
      items.push(i);
    }
  }
  return buildCsr(numUsers, numItems, Int32Array.from(users), Int32Array.from(items));
}

const entries = (m: Csr, u: number) => Array.from(m.indices.subarray(m.indptr[u], m.indptr[u + 1])).sort((a, b) => a - b);

describe("EASE holdout split", () => {
  it("holds out round(10%) of every user's items, disjoint from the rest and together equal to the input", () => {
    const x = randomMatrix(30, 60, 25, 1);
    const { fit, heldOut } = holdoutSplit(x, HOLDOUT_FRACTION, new Rng(7));
    for (let u = 0; u < x.numRows; u++) {
      expect(heldOut.indptr[u + 1] - heldOut.indptr[u]).toBe(3); // round(2.5) in JavaScript
      const union = [...entries(fit, u), ...entries(heldOut, u)].sort((a, b) => a - b);
      expect(union).toEqual(entries(x, u));
    }
  });

  it("is seeded: the same seed holds out the same items, another seed others", () => {
    const x = randomMatrix(20, 40, 20, 2);
    const a = holdoutSplit(x, 0.1, new Rng(1)).heldOut, b = holdoutSplit(x, 0.1, new Rng(1)).heldOut, c = holdoutSplit(x, 0.1, new Rng(2)).heldOut;
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(a.indices)).not.toEqual(Array.from(c.indices));
  });
});

describe("EASE dual ranking scorer", () => {
  it("equals X·B / λ on every item the user has not seen, without forming B", async () => {
    const x = randomMatrix(15, 40, 8, 3); // fewer users than items: the dual's case
    const lambda = 3;
    const b = await dualWeights(x, lambda, { threads: 1 });
    const full = new Float32Array(15 * 40), cheap = new Float32Array(15 * 40);
    scoreWithWeights(b, x, allUsers(15), full);
    (await dualRankingScorer(x, lambda, { threads: 1 }))(allUsers(15), cheap);
    for (let u = 0; u < 15; u++) {
      const seen = new Set(entries(x, u));
      for (let j = 0; j < 40; j++) if (!seen.has(j)) expect(cheap[u * 40 + j] * lambda).toBeCloseTo(full[u * 40 + j], 5);
    }
  });
});

describe("EASE λ search", () => {
  it("walks the grid towards the best holdout NDCG@10, probes the midpoints beside it and rescales to the full data", async () => {
    const x = randomMatrix(40, 30, 20, 4);
    // A scorer that ranks the held-out items first only for 300 < λ < 700, and last otherwise.
    const search = await searchLambda(
      x,
      async (fit, lambda) => (users, out) => {
        const good = lambda > 300 && lambda < 700;
        for (let r = 0; r < users.length; r++) {
          const kept = new Set(entries(fit, users[r]));
          const heldOut = new Set(entries(x, users[r]).filter((j) => !kept.has(j)));
          for (let j = 0; j < fit.numCols; j++) out[r * fit.numCols + j] = heldOut.has(j) === good ? 1 : 0;
        }
      },
      5,
    );
    expect(search).not.toBeNull();
    const tried = search!.trials.map((t) => Math.round(t.lambda));
    // Up from 200 while it improves (500), stop at 1000; then the midpoints √(200·500), √(500·1000).
    expect(tried).toEqual([200, 500, 1000, 316, 707]);
    expect(search!.trials[1].ndcg).toBe(1);
    expect(search!.trials[0].ndcg).toBe(0);
    expect(search!.lambda).toBeCloseTo(500 / (1 - HOLDOUT_FRACTION), 9);
    expect(search!.holdoutUsers).toBe(40);
  });

  it("returns null when no user has enough interactions to hold one out", async () => {
    const x = randomMatrix(10, 30, 4, 5); // round(0.4) = 0 held out per user
    expect(await searchLambda(x, async () => () => undefined, 1)).toBeNull();
  });

  it("EASE reports the λ it chose, the same for the same seed, and fits B with it", async () => {
    const data = tinyTrainingData("implicit", 40, 60, 6);
    const fitted = async (seed: number) => {
      const model = easeDefinition.create(easeDefinition.paramsSchema.parse({ lambdaSearch: "holdout" }), 40, 60);
      await model.fit(data, { seed });
      return model;
    };
    const [a, b] = [await fitted(3), await fitted(3)];
    const lambda = a.chosenSettings!().lambda;
    expect(b.chosenSettings!().lambda).toBe(lambda);
    expect(lambda).not.toBe(250); // searched, not the fixed default
    const fixed = easeDefinition.create(easeDefinition.paramsSchema.parse({ lambdaSearch: "off", lambda }), 40, 60);
    await fixed.fit(data, { seed: 3 });
    const [sa, sf] = [new Float32Array(40 * 60), new Float32Array(40 * 60)];
    a.score(allUsers(40), sa);
    fixed.score(allUsers(40), sf);
    expect(Array.from(sa)).toEqual(Array.from(sf));
    const restored = easeDefinition.create(easeDefinition.paramsSchema.parse({}), 40, 60);
    restored.load(a.save());
    expect(restored.chosenSettings!().lambda).toBe(lambda);
  });
});
