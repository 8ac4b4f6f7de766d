import { describe, expect, it } from "vitest";
import { planExperiment } from "@/lib/experiments/plan-experiment";
import { selectBestConfiguration } from "@/lib/experiments/summarize";

const values = (...v: (number | string | boolean)[]) => ({ type: "values" as const, values: v });
const bad = (fn: () => unknown): { message: string; details?: { field?: string } } => {
  try {
    fn();
  } catch (error) {
    return error as { message: string; details?: { field?: string } };
  }
  throw new Error("expected a BAD_INPUT");
};

describe("grid / random search × k-fold × seeds as one experiment", () => {
  it("plans configurations × folds × seeds, configuration-major, each trial on its fold and seed", () => {
    const plan = planExperiment({ modelId: "bpr" }, { kind: "grid", space: { factors: values(8, 16) }, folds: 3, foldSeed: 7, seeds: [1, 2] });
    expect(plan.runs).toHaveLength(2 * 3 * 2);
    expect(plan.runs.slice(0, 6).map((r) => r.label)).toEqual([
      "factors=8 · fold 1/3 · seed 1",
      "factors=8 · fold 1/3 · seed 2",
      "factors=8 · fold 2/3 · seed 1",
      "factors=8 · fold 2/3 · seed 2",
      "factors=8 · fold 3/3 · seed 1",
      "factors=8 · fold 3/3 · seed 2",
    ]);
    expect(plan.runs[7]).toMatchObject({ trialIndex: 7, config: { seed: 2, params: { factors: 16 }, split: { kind: "k-fold", folds: 3, fold: 0, seed: 7 }, evaluateTest: false } });
    expect(plan.runs.every((r) => r.role === "trial")).toBe(true);
  });

  it("random search repeats each drawn configuration the same way; one fold and no seeds list plan as before", () => {
    expect(planExperiment({ modelId: "bpr" }, { kind: "random", trials: 4, space: { factors: values(8, 16, 32) }, folds: 5 }).runs).toHaveLength(20);
    const plain = planExperiment({ modelId: "bpr", seed: 9 }, { kind: "grid", space: { factors: values(8, 16, 32) } });
    expect(plain.runs.map((r) => [r.label, r.config.seed, r.config.split.kind])).toEqual([
      ["factors=8", 9, "random"],
      ["factors=16", 9, "random"],
      ["factors=32", 9, "random"],
    ]);
  });

  it("caps the total and says how it multiplies", () => {
    const error = bad(() => planExperiment({ modelId: "bpr" }, { kind: "grid", space: { factors: values(...Array.from({ length: 20 }, (_, i) => i + 1)), itemBias: values(true, false) }, folds: 5, seeds: [1, 2, 3] }));
    expect(error.message).toBe("Plan: this plan has 600 runs (40 configurations × 5 folds × 3 seeds); at most 500 per experiment");
  });

  it('refuses "16, abc" as one error naming the value, not as two planned runs', () => {
    const error = bad(() => planExperiment({ modelId: "bpr" }, { kind: "grid", space: { factors: values(16, "abc") } }));
    expect(error.message).toBe("Factors, value 2: 'abc' is not a number");
    expect(error.details?.field).toBe("spec.space.factors.values.1");
    expect(bad(() => planExperiment({ modelId: "bpr" }, { kind: "grid", space: { factors: values(16, 0) } })).message).toBe("Factors, value 2: number must be greater than or equal to 1");
    expect(bad(() => planExperiment({ modelId: "bpr" }, { kind: "grid", space: { colour: values("red") } })).message).toBe("Colour: not a hyperparameter of this model");
  });
});

describe("selectBestConfiguration", () => {
  const trial = (trialIndex: number, ndcg: number) => ({ id: `t${trialIndex}`, trialIndex, validation: { "ndcg@10": ndcg } });

  it("ranks configurations by the mean over their repeats, not by their best trial", () => {
    // Configuration 0: 0.30, 0.10 (mean 0.20, best single trial overall); configuration 1: 0.25, 0.25 (mean 0.25).
    const best = selectBestConfiguration([trial(0, 0.3), trial(1, 0.1), trial(2, 0.25), trial(3, 0.25)], "ndcg@10", 2);
    expect(best?.trials.map((t) => t.id)).toEqual(["t2", "t3"]);
    expect(best?.mean).toBeCloseTo(0.25, 12);
  });

  it("follows the metric's direction and breaks ties towards the earlier configuration", () => {
    const rmse = (trialIndex: number, value: number) => ({ id: `t${trialIndex}`, trialIndex, validation: { rmse: value } });
    expect(selectBestConfiguration([rmse(0, 1.0), rmse(1, 0.9), rmse(2, 0.95)], "rmse", 1)?.trials[0].id).toBe("t1");
    expect(selectBestConfiguration([trial(0, 0.2), trial(1, 0.2)], "ndcg@10", 1)?.trials[0].id).toBe("t0");
    expect(selectBestConfiguration([], "ndcg@10", 3)).toBeNull();
  });
});
