import { describe, expect, it } from "vitest";
import { buildCsr } from "@/lib/datasets/csr";
import { createExplainer } from "@/lib/fairness/explain/registry";
import { listModels, getModelDefinition } from "@/lib/models/registry";
import type { ModelDefinition, TrainingData } from "@/lib/models/types";
import { allUsers, tinyTrainingData } from "../models/fixtures";

const QUICK = { epochs: 2, factors: 4 };
const ALL = { limit: Infinity };

async function fitted(definition: ModelDefinition, seed = 1, data?: TrainingData) {
  data ??= tinyTrainingData(definition.feedback === "explicit" ? "explicit" : "implicit");
  const shape = definition.paramsSchema.shape;
  const params = definition.paramsSchema.parse(Object.fromEntries(Object.entries(QUICK).filter(([key]) => key in shape)));
  const model = definition.create(params, data.numUsers, data.numItems);
  await model.fit(data, { seed });
  const scores = new Float32Array(data.numUsers * data.numItems);
  model.score(allUsers(data.numUsers), scores);
  return { model, data, params, scores, explainer: createExplainer(definition.id, { model, params, data }) };
}

const historyOf = (data: TrainingData, u: number) => Array.from(data.train.indices.subarray(data.train.indptr[u], data.train.indptr[u + 1]));

/** The highest-scored item the user has not interacted with. */
function topUnseen(data: TrainingData, scores: Float32Array, u: number): number {
  const seen = new Set(historyOf(data, u));
  let best = -1;
  for (let i = 0; i < data.numItems; i++) if (!seen.has(i) && (best < 0 || scores[u * data.numItems + i] > scores[u * data.numItems + best])) best = i;
  return best;
}

describe.each([["item-knn"], ["ease"]])("exact decomposition: %s", (id) => {
  it("contributions add up to the model's score for every item of every user", async () => {
    const { data, scores, explainer } = await fitted(getModelDefinition(id));
    for (let u = 0; u < data.numUsers; u++) {
      for (let i = 0; i < data.numItems; i++) {
        const e = explainer.explain(u, i, ALL);
        expect(e.exact).toBe(true);
        expect(e.kind).toBe("contributions");
        const sum = e.items!.reduce((s, x) => s + x.weight, 0);
        expect(Math.abs(sum - scores[u * data.numItems + i])).toBeLessThan(1e-6);
        expect(Math.abs(e.score - scores[u * data.numItems + i])).toBeLessThan(1e-6);
        for (const x of e.items!) expect(explainer.scoreWithout(u, i, x.item)).toBeCloseTo(e.score - x.weight, 9);
      }
    }
  });
});

describe.each(listModels().map((d) => [d.id, d] as const))("explanation: %s", (_id, definition) => {
  it("explains the top-1 item with finite weights naming history items only", async () => {
    const { data, scores, explainer } = await fitted(definition);
    for (const u of [0, 1, 2]) {
      const item = topUnseen(data, scores, u);
      const e = explainer.explain(u, item);
      expect(e.user).toBe(u);
      expect(e.item).toBe(item);
      expect(Number.isFinite(e.score)).toBe(true);
      expect(e.text.length).toBeGreaterThan(0);
      const history = new Set(historyOf(data, u));
      for (const x of e.items ?? []) {
        expect(history.has(x.item)).toBe(true);
        for (const v of [x.weight, x.share, x.similarity ?? 0, x.attention ?? 0, x.scoreWithout ?? 0]) expect(Number.isFinite(v)).toBe(true);
      }
      for (const f of e.features ?? []) expect(Number.isFinite(f.weight)).toBe(true);
      expect((e.items?.length ?? 0) + (e.features?.length ?? 0)).toBeGreaterThan(0);
      const top = e.items?.[0];
      if (top?.scoreWithout !== undefined) expect(explainer.scoreWithout(u, item, top.item)).toBeCloseTo(top.scoreWithout, 4);
    }
  });
});

describe.each([["mult-dae"], ["sasrec"]])("what-if explanations of several items of one user: %s", (id) => {
  it("equal a fresh explainer's, item by item (the user's leave-one-out scores are computed once)", async () => {
    const { data, model, params, explainer } = await fitted(getModelDefinition(id));
    for (const u of [0, 1]) {
      for (const i of [0, 1, 2]) expect(explainer.explain(u, i, ALL)).toEqual(createExplainer(id, { model, params, data }).explain(u, i, ALL));
    }
  });
});

describe("model-specific explanations", () => {
  it("SASRec: attention over the history sums to 1", async () => {
    const { data, scores, explainer } = await fitted(getModelDefinition("sasrec"));
    for (const u of [0, 3, 5]) {
      const e = explainer.explain(u, topUnseen(data, scores, u), ALL);
      expect(e.kind).toBe("attention");
      expect(e.items!.reduce((s, x) => s + x.attention!, 0)).toBeCloseTo(1, 5);
      for (const x of e.items!) expect(x.attention).toBeGreaterThanOrEqual(0);
    }
  });

  it("Popularity: the explanation counts the users who interacted", async () => {
    const { data, explainer } = await fitted(getModelDefinition("pop"));
    for (let i = 0; i < data.numItems; i++) {
      let users = 0;
      for (let u = 0; u < data.numUsers; u++) if (historyOf(data, u).includes(i)) users++;
      const e = explainer.explain(0, i);
      expect(e.kind).toBe("popularity");
      expect(e.score).toBe(users);
      expect(e.features).toEqual([{ name: "users who interacted", weight: users }]);
    }
  });

  it("ConvMF: the words and genres of the item's own document, weighed by occlusion", async () => {
    const base = tinyTrainingData("implicit");
    const genres = ["Drama", "Comedy", "Horror"];
    const items = {
      title: Array.from({ length: base.numItems }, (_, i) => `${i % 2 ? "night" : "day"} story ${i}`),
      genres: Array.from({ length: base.numItems }, (_, i) => [genres[i % 3], genres[(i + 1) % 3]]),
    };
    const { data, scores, explainer } = await fitted(getModelDefinition("convmf"), 1, { ...base, items });
    const item = topUnseen(data, scores, 0);
    const e = explainer.explain(0, item, ALL);
    expect(e.kind).toBe("content");
    // Tokens kept by the vocabulary occur in at least two items: genres, "night"/"day", "story".
    const document = new Set([`g:${items.genres[item][0].toLowerCase()}`, `g:${items.genres[item][1].toLowerCase()}`, item % 2 ? "night" : "day", "story"]);
    expect(e.features!.length).toBe(document.size);
    for (const f of e.features!) {
      expect(document.has(f.name)).toBe(true);
      expect(Number.isFinite(f.weight)).toBe(true);
    }
  });

  it.each([["als"], ["mf"], ["bpr"]])("%s: leave-one-out by Sherman–Morrison equals folding in the shorter history", async (id) => {
    const { model, data, params, scores, explainer } = await fitted(getModelDefinition(id));
    const u = 4;
    const item = topUnseen(data, scores, u);
    const removed = historyOf(data, u)[0];
    const t = data.trainTable;
    const keep = Array.from(t.users, (_, r) => r).filter((r) => !(t.users[r] === u && t.items[r] === removed));
    const pick = <A extends Int32Array | Float32Array | Float64Array>(a: A) => a.filter((_, r) => keep.includes(r)) as A;
    const table = { users: pick(t.users), items: pick(t.items), ratings: pick(t.ratings), timestamps: pick(t.timestamps) };
    const shorter = { ...data, trainTable: table, train: buildCsr(data.numUsers, data.numItems, table.users, table.items, table.ratings) };
    const direct = createExplainer(id, { model, params, data: shorter }).explain(u, item).score;
    expect(explainer.scoreWithout(u, item, removed)).toBeCloseTo(direct, 4);
  });
});
