import { describe, expect, it } from "vitest";
import { topCandidates } from "@/lib/fairness/candidates";
import { createExplainer } from "@/lib/fairness/explain/registry";
import { decodeExplanations, encodeExplanations, explainRun, EXPLAINED_ITEMS, EXPLAINED_REASONS, type RunExplanations } from "@/lib/fairness/explanations";
import { getModelDefinition } from "@/lib/models/registry";
import { allUsers, tinyTrainingData } from "../models/fixtures";

/** An ItemKNN model fitted on the tiny fixture, its explainer and every user's top-20 candidates. */
async function itemKnnRun() {
  const definition = getModelDefinition("item-knn");
  const data = tinyTrainingData("implicit");
  const params = definition.paramsSchema.parse({});
  const model = definition.create(params, data.numUsers, data.numItems);
  await model.fit(data, { seed: 1 });
  const candidates = topCandidates((u, out) => model.score(u, out), allUsers(data.numUsers), data.numItems, [data.train], 20);
  return { data, candidates, explainer: createExplainer("item-knn", { model, params, data }) };
}

describe("explanation artefact", () => {
  it("round-trips history reasons and feature reasons", () => {
    const e: RunExplanations = {
      kind: "mixed",
      exact: false,
      truncated: 3,
      seconds: 0.25,
      users: {
        4: [{ item: 7, score: 1.5, reasons: [{ item: 2, weight: 0.75, share: 0.5 }, { item: 3, weight: 0.5, share: 0.3333 }] }],
        9: [{ item: 1, score: 42, reasons: [{ feature: "users who interacted", weight: 42 }] }, { item: 2, score: 0, reasons: [] }],
      },
    };
    expect(decodeExplanations(encodeExplanations(e))).toEqual(e);
  });

  it("rejects bytes that are not an explanation block", () => {
    expect(() => decodeExplanations(new Uint8Array([1, 2, 3]))).toThrow(/explanation block/);
  });

  it("explains an ItemKNN run's top items with at most 3 history reasons each, within the user cap", async () => {
    const { data, explainer, candidates } = await itemKnnRun();
    const out = await explainRun(explainer, candidates, { maxUsers: 2 });
    expect(Object.keys(out.users)).toHaveLength(2);
    expect(out.truncated).toBe(data.numUsers - 2);
    expect(out.kind).toBe("contributions");
    for (const [user, rows] of Object.entries(out.users)) {
      const history = new Set(data.train.indices.subarray(data.train.indptr[+user], data.train.indptr[+user + 1]));
      expect(rows.length).toBeLessThanOrEqual(EXPLAINED_ITEMS);
      for (const row of rows) {
        expect(row.reasons.length).toBeLessThanOrEqual(EXPLAINED_REASONS);
        for (const r of row.reasons) expect("item" in r && history.has(r.item)).toBe(true);
      }
    }
    expect(decodeExplanations(encodeExplanations(out)).users).toEqual(out.users);
  });

  it("stops after the user during which it was interrupted and counts the rest as truncated", async () => {
    const { data, explainer, candidates } = await itemKnnRun();
    let checks = 0;
    const out = await explainRun(explainer, candidates, { interrupted: async () => ++checks >= 2 });
    expect(Object.keys(out.users)).toHaveLength(2);
    expect(out.truncated).toBe(data.numUsers - 2);
  });
});
