import { describe, expect, it, vi } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { resolveRunConfig, runExperiment } from "@/lib/experiments/run-experiment";

vi.mock("@/lib/fairness/explain/registry", () => ({
  createExplainer: (modelId: string) => {
    if (modelId === "pop") throw new Error("explainer exploded");
    return { explain: () => ({ user: 0, item: 0, kind: "contributions", score: 0, items: [], text: "", exact: true }), scoreWithout: () => 0 };
  },
}));

describe("explanations at the end of a run", () => {
  const dataset = generateSynthetic({ numUsers: 60, numItems: 50, seed: 2 });

  it("a failing explainer leaves the run's results intact and says why", async () => {
    const result = await runExperiment(dataset, resolveRunConfig({ modelId: "pop", seed: 1 }));
    expect(result.test.numUsers).toBeGreaterThan(0);
    expect(result.candidates).toBeDefined();
    expect(result.explanations).toBeUndefined();
    expect(result.explanationError).toBe("explainer exploded");
  });

  it("explains every evaluated test user when the explainer works", async () => {
    const result = await runExperiment(dataset, resolveRunConfig({ modelId: "item-knn", seed: 1 }));
    expect(Object.keys(result.explanations!.users)).toHaveLength(result.test.numUsers);
    expect(result.explanations!.truncated).toBe(0);
  });
});
