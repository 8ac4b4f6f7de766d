import { describe, expect, it } from "vitest";
import { planExperiment } from "@/lib/experiments/plan-experiment";
import { expandGrid, gridSize, sampleRandom, type SearchSpace } from "@/lib/experiments/search-space";

const values = (...v: (number | string | boolean)[]) => ({ type: "values" as const, values: v });

describe("grid search", () => {
  it("has the product of the list lengths as cardinality, every combination once", () => {
    const space: SearchSpace = { factors: values(8, 16, 32), learningRate: values(0.01, 0.1), itemBias: values(true, false) };
    expect(gridSize(space)).toBe(12);
    const grid = expandGrid(space);
    expect(grid).toHaveLength(12);
    expect(new Set(grid.map((p) => JSON.stringify(p))).size).toBe(12);
    expect(grid[0]).toEqual({ factors: 8, learningRate: 0.01, itemBias: true });
    expect(grid[1]).toEqual({ factors: 8, learningRate: 0.01, itemBias: false });
  });

  it("refuses ranges, naming the parameter", () => {
    expect(() => gridSize({ factors: { type: "uniform", min: 1, max: 4, integer: true } })).toThrowError(/Factors: a grid needs a list/);
  });
});

describe("random search", () => {
  const space: SearchSpace = {
    learningRate: { type: "log-uniform", min: 1e-4, max: 1e-1, integer: false },
    factors: { type: "uniform", min: 4, max: 64, integer: true },
    regularization: { type: "uniform", min: 0, max: 0.1, integer: false },
    itemBias: values(true, false),
  };

  it("is reproducible from its seed and differs across seeds", () => {
    expect(sampleRandom(space, 20, 7)).toEqual(sampleRandom(space, 20, 7));
    expect(sampleRandom(space, 20, 7)).not.toEqual(sampleRandom(space, 20, 8));
  });

  it("keeps draws inside their bounds; integers are whole; log-uniform spreads over decades", () => {
    const draws = sampleRandom(space, 2000, 1);
    const lr = draws.map((d) => d.learningRate as number);
    expect(Math.min(...lr)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...lr)).toBeLessThanOrEqual(1e-1);
    // Uniform in log space: about a third of the draws in each decade.
    const decade = (lo: number, hi: number) => lr.filter((x) => x >= lo && x < hi).length / lr.length;
    for (const [lo, hi] of [[1e-4, 1e-3], [1e-3, 1e-2], [1e-2, 1e-1]]) expect(decade(lo, hi)).toBeGreaterThan(0.28), expect(decade(lo, hi)).toBeLessThan(0.39);
    const factors = draws.map((d) => d.factors as number);
    expect(factors.every((f) => Number.isInteger(f) && f >= 4 && f <= 64)).toBe(true);
    expect(new Set(draws.map((d) => d.itemBias))).toEqual(new Set([true, false]));
  });

  it("refuses a range whose min is above its max", () => {
    expect(() => sampleRandom({ x: { type: "uniform", min: 2, max: 1, integer: false } }, 3, 0)).toThrowError(/min 2 is above max 1/);
  });
});

describe("planExperiment", () => {
  it("search trials evaluate on validation only; the selection metric's cut-off is evaluated", () => {
    const plan = planExperiment({ modelId: "bpr", ks: [5] }, { kind: "grid", space: { factors: values(4, 8) } }, "ndcg@10");
    expect(plan.runs.map((r) => [r.role, r.trialIndex, r.label])).toEqual([["trial", 0, "factors=4"], ["trial", 1, "factors=8"]]);
    expect(plan.runs.every((r) => r.config.evaluateTest === false && r.config.ks.includes(10))).toBe(true);
    expect(plan.runs[1].config.params).toMatchObject({ factors: 8, epochs: 100 });
  });

  it("cross-validation plans one k-fold split per fold with the same seed", () => {
    const plan = planExperiment({ modelId: "pop" }, { kind: "cv", folds: 4, seed: 3, validationRatio: 0.1 });
    expect(plan.runs.map((r) => r.config.split)).toEqual([0, 1, 2, 3].map((fold) => ({ kind: "k-fold", folds: 4, fold, seed: 3, validationRatio: 0.1 })));
    expect(plan.runs.every((r) => r.role === "fold" && r.config.evaluateTest)).toBe(true);
  });

  it("ablations run the base and every variant with each seed", () => {
    const plan = planExperiment({ modelId: "bpr", params: { factors: 16 } }, { kind: "ablation", seeds: [1, 2], variants: [{ name: "no item bias", params: { itemBias: false } }] });
    expect(plan.runs.map((r) => [r.label, r.config.seed, r.config.params.itemBias, r.config.params.factors])).toEqual([
      ["base · seed 1", 1, true, 16],
      ["base · seed 2", 2, true, 16],
      ["no item bias · seed 1", 1, false, 16],
      ["no item bias · seed 2", 2, false, 16],
    ]);
  });
});
