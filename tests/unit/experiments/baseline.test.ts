import { describe, expect, it } from "vitest";
import { EASE_MAX_ITEMS, pickBaseline, suggestedBaseline, type BaselineCandidate } from "@/lib/experiments/baseline";

const split = { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 42 };
const other = { ...split, seed: 7 };
const run = (id: string, modelId: string, s: unknown, test: Record<string, number>, day = 1): BaselineCandidate => ({ id, modelId, split: s, test, finishedAt: new Date(2026, 0, day) });

describe("pickBaseline", () => {
  it("prefers a baseline on the same split over a better one on another split", () => {
    const picked = pickBaseline(split, [run("a", "ease", other, { "ndcg@10": 0.4 }), run("b", "item-knn", split, { "ndcg@10": 0.3 })], "ndcg@10");
    expect(picked).toMatchObject({ id: "b", sameSplit: true });
  });

  it("takes the best by the metric's direction, then the most recent", () => {
    const candidates = [run("a", "ease", split, { "ndcg@10": 0.3, rmse: 0.9 }, 1), run("b", "item-knn", split, { "ndcg@10": 0.35, rmse: 1.1 }, 2), run("c", "ease", split, { "ndcg@10": 0.35, rmse: 0.9 }, 3)];
    expect(pickBaseline(split, candidates, "ndcg@10")?.id).toBe("c");
    // Lower is better for RMSE: a and c tie at 0.9, c is more recent.
    expect(pickBaseline(split, candidates, "rmse")?.id).toBe("c");
  });

  it("ignores models that are not simple baselines and runs without the metric", () => {
    expect(pickBaseline(split, [run("a", "bpr", split, { "ndcg@10": 0.5 }), run("b", "ease", split, { "recall@10": 0.5 })], "ndcg@10")).toBeNull();
  });
});

describe("suggestedBaseline", () => {
  it("offers EASE where its item × item matrix fits, ItemKNN beyond, never the run's own model", () => {
    expect(suggestedBaseline(1_682, "bpr")).toBe("ease");
    expect(suggestedBaseline(1_682, "ease")).toBe("item-knn");
    expect(suggestedBaseline(EASE_MAX_ITEMS + 1, "bpr")).toBe("item-knn");
    expect(suggestedBaseline(EASE_MAX_ITEMS + 1, "item-knn")).toBeNull();
  });
});
