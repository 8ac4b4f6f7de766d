import { afterAll, describe, expect, it } from "vitest";
import { itemKnnDefinition } from "@/lib/models/item-knn";
import { coOccurrenceWork, similarityBlocks, similarityInput } from "@/lib/models/shared/knn-similarity";
import { terminateIdleThreads } from "@/lib/training/threads/pool";
import { AppError } from "@/lib/errors";
import { allUsers, tinyTrainingData } from "./fixtures";
import type { TrainingData } from "@/lib/models/types";

/** Dense reference: cosine between item columns (values centred by user mean if asked), top-k per target, summed over the user's items. */
function referenceScores(data: TrainingData, k: number, shrinkage: number, centre: boolean): Float64Array {
  const { numUsers: nu, numItems: ni, train } = data;
  const x = new Float64Array(nu * ni);
  const has = new Uint8Array(nu * ni);
  for (let u = 0; u < nu; u++) {
    const start = train.indptr[u], end = train.indptr[u + 1];
    let mean = 0;
    for (let p = start; p < end; p++) mean += train.values[p] / (end - start);
    for (let p = start; p < end; p++) {
      x[u * ni + train.indices[p]] = train.values[p] - (centre ? mean : 0);
      has[u * ni + train.indices[p]] = 1;
    }
  }
  const sim = new Float64Array(ni * ni);
  for (let i = 0; i < ni; i++) {
    for (let j = 0; j < ni; j++) {
      if (i === j) continue;
      let d = 0, a = 0, b = 0, n = 0;
      for (let u = 0; u < nu; u++) {
        d += x[u * ni + i] * x[u * ni + j];
        a += x[u * ni + i] ** 2;
        b += x[u * ni + j] ** 2;
        n += has[u * ni + i] & has[u * ni + j];
      }
      const s = a > 0 && b > 0 ? (d / Math.sqrt(a * b)) * (shrinkage > 0 ? n / (n + shrinkage) : 1) : 0;
      sim[i * ni + j] = s > 0 ? s : 0;
    }
  }
  // Keep each target item's k most similar neighbours, ties to the lower item index.
  for (let j = 0; j < ni; j++) {
    const ranked = Array.from({ length: ni }, (_, i) => i).sort((a, b) => sim[b * ni + j] - sim[a * ni + j] || a - b);
    for (const i of ranked.slice(k)) sim[i * ni + j] = 0;
  }
  const out = new Float64Array(nu * ni);
  for (let u = 0; u < nu; u++) {
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) {
      const i = train.indices[p];
      for (let j = 0; j < ni; j++) out[u * ni + j] += sim[i * ni + j];
    }
  }
  return out;
}

describe("ItemKNN", () => {
  it.each([
    ["cosine, all neighbours", "cosine", 50, 0, "implicit"],
    ["cosine, top-3, shrinkage 2", "cosine", 3, 2, "implicit"],
    ["cosine over explicit ratings, top-4", "cosine", 4, 0, "explicit"],
    ["adjusted cosine, top-4", "adjusted-cosine", 4, 0, "explicit"],
  ] as const)("matches a dense reference (%s)", async (_label, similarity, neighbours, shrinkage, feedback) => {
    const data = tinyTrainingData(feedback, 15, 8, 4);
    const model = itemKnnDefinition.create(itemKnnDefinition.paramsSchema.parse({ similarity, neighbours, shrinkage }), data.numUsers, data.numItems);
    await model.fit(data, { seed: 1 });
    const out = new Float32Array(data.numUsers * data.numItems);
    model.score(allUsers(data.numUsers), out);
    const expected = referenceScores(data, Math.min(neighbours, data.numItems), shrinkage, similarity === "adjusted-cosine");
    for (let t = 0; t < out.length; t++) expect(out[t]).toBeCloseTo(expected[t], 4);
  });

  it("refuses adjusted cosine on implicit feedback, naming the field", async () => {
    const data = tinyTrainingData("implicit");
    const model = itemKnnDefinition.create(itemKnnDefinition.paramsSchema.parse({ similarity: "adjusted-cosine" }), data.numUsers, data.numItems);
    await expect(model.fit(data, { seed: 1 })).rejects.toMatchObject({ code: "BAD_INPUT", details: { field: "params.similarity" } });
    await expect(model.fit(data, { seed: 1 })).rejects.toBeInstanceOf(AppError);
  });

  describe("in blocks, on several threads", () => {
    afterAll(() => terminateIdleThreads());
    const data = tinyTrainingData("explicit", 160, 140, 7);
    const fitted = async (threads: number, interrupted?: () => Promise<boolean>) => {
      const model = itemKnnDefinition.create(itemKnnDefinition.paramsSchema.parse({ neighbours: 20, shrinkage: 5 }), data.numUsers, data.numItems);
      await model.fit(data, { seed: 1, threads, interrupted });
      return model;
    };

    it("gives one thread's lists, bit for bit, on 2 and 3 threads", async () => {
      const one = (await fitted(1)).save().arrays;
      expect(one.neighbourIndices.length).toBe(20 * data.numItems); // dense enough for every item to keep 20
      for (const threads of [2, 3]) {
        const many = (await fitted(threads)).save().arrays;
        for (const key of ["neighbourIndptr", "neighbourIndices", "neighbourSimilarities"]) {
          expect(Buffer.from(many[key].buffer).equals(Buffer.from(one[key].buffer)), `${key} on ${threads} threads`).toBe(true);
        }
      }
    });

    it("cuts the items into blocks of about equal co-occurrence work", () => {
      const input = similarityInput(data.train, 20, 5);
      const bounds = similarityBlocks(input, 8);
      expect(bounds[0]).toBe(0);
      expect(bounds[8]).toBe(data.numItems);
      const cost = (start: number, end: number) => {
        let c = 0;
        for (let i = start; i < end; i++) {
          for (let p = input.byItem.indptr[i]; p < input.byItem.indptr[i + 1]; p++) c += data.train.indptr[input.byItem.indices[p] + 1] - data.train.indptr[input.byItem.indices[p]];
        }
        return c;
      };
      const costs = Array.from({ length: 8 }, (_, b) => cost(bounds[b], bounds[b + 1]));
      expect(costs.reduce((a, b) => a + b)).toBe(coOccurrenceWork(data.train));
      expect(Math.max(...costs) / Math.min(...costs)).toBeLessThan(1.5);
    });

    it("stops between blocks when cancelled and leaves nothing fitted", async () => {
      let checks = 0;
      const model = await fitted(1, async () => ++checks >= 3);
      expect(checks).toBe(3);
      expect(() => model.score(allUsers(1), new Float32Array(data.numItems))).toThrow(/not fitted|fit/i);
    });
  });
});
