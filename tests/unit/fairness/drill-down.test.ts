import { describe, expect, it } from "vitest";
import { assembleDrillDown, reasonSentence } from "@/lib/fairness/drill-down";

const dataset = { itemIds: ["a", "b", "c", "d", "e", "f"], items: { title: ["Alpha", "Beta", null, "Delta", "Eps", "Phi"], genres: [["x"], [], [], [], [], []] } };
const candidates = { items: Int32Array.from([3, 4, 5, 2]), scores: Float32Array.from([0.9, 0.8, 0.7, 0.1]) };
const popularity = Float64Array.from([1, 1, 1, 50, 40, 1]);

describe("drill-down assembly", () => {
  it("joins the top-K with stored reasons and writes the sentence", () => {
    const out = assembleDrillDown({
      dataset,
      user: "u7",
      history: Int32Array.from([0, 1]),
      candidates,
      k: 2,
      reasons: [{ item: 3, score: 0.9, reasons: [{ item: 0, weight: 0.42, share: 0.42 }, { item: 1, weight: 0.1, share: 0.1 }] }],
      explanations: null,
      explanationKind: "contributions",
    });
    expect(out.history.map((h) => h.title)).toEqual(["Alpha", "Beta"]);
    expect(out.history[0].genres).toEqual(["x"]);
    expect(out.recommendations.map((r) => [r.rank, r.id])).toEqual([[1, "d"], [2, "e"]]);
    expect(out.recommendations[0].sentence).toBe("Because you interacted with Alpha (42% of the score), Beta (10% of the score)");
    expect(out.recommendations[1].sentence).toBeNull();
    expect(out.rerank).toBeNull();
  });

  it("marks the items a re-ranker brought in and took out", () => {
    const out = assembleDrillDown({
      dataset,
      user: "u7",
      history: Int32Array.from([0]),
      candidates,
      k: 2,
      reasons: null,
      explanations: "unavailable",
      explanationKind: null,
      rerank: { rerankerId: "popularity-penalty", lambda: 1, params: {}, ctx: { numItems: 6, popularity } },
    });
    const entered = out.rerank!.items.filter((i) => i.entered).map((i) => i.id);
    expect(entered.length).toBeGreaterThan(0);
    expect(out.rerank!.left.map((i) => i.id).sort()).toHaveLength(entered.length);
    for (const id of entered) expect(["d", "e"]).not.toContain(id);
  });

  it("a feature reason reads as a feature", () => {
    expect(reasonSentence([{ item: null, feature: "users who interacted", weight: 42, share: null }])).toBe("Because of users who interacted (42)");
  });
});
