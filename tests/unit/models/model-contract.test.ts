import { describe, expect, it } from "vitest";
import { getModelDefinition, listModels } from "@/lib/models/registry";
import type { ModelDefinition, Recommender } from "@/lib/models/types";
import { AppError } from "@/lib/errors";
import { allUsers, tinyTrainingData } from "./fixtures";

/** Short fits so every model runs in milliseconds; keys missing from a schema are dropped. */
const QUICK = { epochs: 2, factors: 4 };

function quickParams(definition: ModelDefinition) {
  const shape = definition.paramsSchema.shape;
  const overrides = Object.fromEntries(Object.entries(QUICK).filter(([key]) => key in shape));
  return definition.paramsSchema.parse(overrides);
}

async function fitted(definition: ModelDefinition, seed: number) {
  const data = tinyTrainingData(definition.feedback === "explicit" ? "explicit" : "implicit");
  const model = definition.create(quickParams(definition), data.numUsers, data.numItems);
  await model.fit(data, { seed, onEpoch: async () => undefined });
  return { model, data };
}

function scores(model: Recommender, numUsers: number, numItems: number) {
  const out = new Float32Array(numUsers * numItems);
  model.score(allUsers(numUsers), out);
  return out;
}

describe("model registry", () => {
  it("lists every model under its own id", () => {
    const ids = listModels().map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["pop", "item-knn", "mf", "bpr"]));
    for (const id of ids) expect(getModelDefinition(id).id).toBe(id);
  });

  it("throws NOT_FOUND for an unknown id", () => {
    expect(() => getModelDefinition("no-such-model")).toThrowError(AppError);
    try {
      getModelDefinition("no-such-model");
    } catch (error) {
      expect((error as AppError).code).toBe("NOT_FOUND");
    }
  });
});

describe.each(listModels().map((d) => [d.id, d] as const))("model contract: %s", (_id, definition) => {
  it("documents every hyperparameter and has defaults for all of them", () => {
    for (const [name, field] of Object.entries(definition.paramsSchema.shape)) {
      expect(field.description, `${definition.id}.${name} needs .describe()`).toBeTruthy();
    }
    expect(() => definition.paramsSchema.parse({})).not.toThrow();
  });

  it("fits on a tiny fixture and scores every item with finite values", async () => {
    const { model, data } = await fitted(definition, 1);
    const out = scores(model, data.numUsers, data.numItems);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it("gives identical scores for the same seed", async () => {
    const a = await fitted(definition, 7);
    const b = await fitted(definition, 7);
    expect(scores(b.model, b.data.numUsers, b.data.numItems)).toEqual(scores(a.model, a.data.numUsers, a.data.numItems));
  });

  it("scores the same after save and load into a fresh instance", async () => {
    const { model, data } = await fitted(definition, 5);
    const fresh = definition.create(quickParams(definition), data.numUsers, data.numItems);
    fresh.load(model.save());
    expect(scores(fresh, data.numUsers, data.numItems)).toEqual(scores(model, data.numUsers, data.numItems));
  });

  it("scores a subset of users in the requested order", async () => {
    const { model, data } = await fitted(definition, 2);
    const full = scores(model, data.numUsers, data.numItems);
    const picked = Int32Array.from([3, 0]);
    const out = new Float32Array(2 * data.numItems);
    model.score(picked, out);
    expect(out.subarray(0, data.numItems)).toEqual(full.subarray(3 * data.numItems, 4 * data.numItems));
    expect(out.subarray(data.numItems)).toEqual(full.subarray(0, data.numItems));
  });

  it("scores substituted histories like stored ones (models with scoreHistories)", async () => {
    const { model, data } = await fitted(definition, 4);
    if (!model.scoreHistories) return;
    const full = scores(model, data.numUsers, data.numItems);
    // User 2 with its own history (stored order), then user 0 with user 1's.
    const t = data.train;
    const users = Int32Array.from([2, 0]);
    const rows = [2, 1].map((u) => t.indices.subarray(t.indptr[u], t.indptr[u + 1]));
    const indptr = Int32Array.from([0, rows[0].length, rows[0].length + rows[1].length]);
    const out = new Float32Array(2 * data.numItems);
    model.scoreHistories(users, { indptr, items: Int32Array.from([...rows[0], ...rows[1]]) }, out);
    expect(out.every(Number.isFinite)).toBe(true);
    // The fixture has no timestamps, so the stored sequences are in the CSR order too.
    expect(out.subarray(0, data.numItems)).toEqual(full.subarray(2 * data.numItems, 3 * data.numItems));
  });

  it.runIf(definition.training === "epochs")("reports each epoch and stops when told to", async () => {
    const data = tinyTrainingData(definition.feedback === "explicit" ? "explicit" : "implicit");
    const model = definition.create(definition.paramsSchema.parse({ ...QUICK, epochs: 10 }), data.numUsers, data.numItems);
    const epochs: number[] = [];
    await model.fit(data, {
      seed: 1,
      onEpoch: async (report) => {
        epochs.push(report.epoch);
        expect(report.totalEpochs).toBe(10);
        if (report.loss !== undefined) expect(Number.isFinite(report.loss)).toBe(true);
        return { stop: report.epoch === 3 };
      },
    });
    expect(epochs).toEqual([1, 2, 3]);
  });

  it.runIf(definition.feedback === "explicit")("predicts ratings within the training range", async () => {
    const { model } = await fitted(definition, 3);
    const predicted = model.predict!(Int32Array.from([0, 1, 2]), Int32Array.from([0, 1, 2]));
    for (const r of predicted) {
      expect(r).toBeGreaterThanOrEqual(1);
      expect(r).toBeLessThanOrEqual(5);
    }
  });
});
