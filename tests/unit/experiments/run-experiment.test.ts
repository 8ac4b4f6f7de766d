import { beforeAll, describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import type { Dataset } from "@/lib/datasets/types";
import { resolveRunConfig, runConfigSchema, runExperiment, type RunPhase } from "@/lib/experiments/run-experiment";
import { describeValidationSample } from "@/lib/training/validation-sample";

describe("resolveRunConfig", () => {
  it("fills every default, the model's hyperparameters included", () => {
    const config = resolveRunConfig({ modelId: "bpr" });
    expect(config).toMatchObject({
      modelId: "bpr",
      split: { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 42 },
      feedback: "auto",
      ks: [5, 10, 20],
      monitor: "ndcg@10",
      evalEvery: 1,
      patience: 5,
      seed: 42,
    });
    expect(config.params).toMatchObject({ factors: 64, itemBias: true });
    expect(resolveRunConfig(config)).toEqual(config);
    expect(runConfigSchema.parse(config)).toEqual(config);
  });

  it.each([
    ["a param of the wrong type", { modelId: "mf", params: { factors: "many" } }, "params.factors", "Factors: 'many' is not a number"],
    ["a param out of range", { modelId: "item-knn", params: { neighbours: 0 } }, "params.neighbours", "Neighbours: number must be greater than or equal to 1"],
    ["an unknown param", { modelId: "pop", params: { colour: "red" } }, "params.colour", "Colour: not a hyperparameter of this model"],
    ["a bad split", { modelId: "pop", split: { kind: "random", ratios: [0.5, 0.1, 0.1] } }, "split.ratios", "Split ratios: train, validation and test ratios must add up to 1"],
    ["an unknown monitor", { modelId: "pop", monitor: "accuracy@10" }, "monitor", "Early-stopping metric: "],
    ["a monitor that is not an accuracy metric", { modelId: "pop", monitor: "coverage@10" }, "monitor", 'Early-stopping metric: "coverage@10" is not an accuracy metric'],
  ])("rejects %s as BAD_INPUT in the form's words, the path in details", (_label, input, field, message) => {
    try {
      resolveRunConfig(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "BAD_INPUT", details: { field } });
      expect((error as Error).message.startsWith(message), (error as Error).message).toBe(true);
    }
  });

  it("rejects an unknown model as NOT_FOUND", () => {
    expect(() => resolveRunConfig({ modelId: "nope" })).toThrowError(expect.objectContaining({ code: "NOT_FOUND" }));
  });
});

describe("runExperiment", () => {
  let dataset: Dataset;
  beforeAll(() => {
    dataset = generateSynthetic({ numUsers: 120, numItems: 80, seed: 5 });
  });

  it("gives identical metrics for the same config twice", async () => {
    const config = resolveRunConfig({ modelId: "bpr", params: { epochs: 4, factors: 8 }, ks: [10] });
    const a = await runExperiment(dataset, config);
    const b = await runExperiment(dataset, config);
    expect(a.test.summary).toEqual(b.test.summary);
    expect(a.history.map((h) => h.metrics)).toEqual(b.history.map((h) => h.metrics));
    expect(a.test.summary["ndcg@10"]).toBeGreaterThan(0);
  });

  it("reports phases in order, every epoch, and the resolved config", async () => {
    const phases: RunPhase[] = [];
    const epochs: number[] = [];
    const result = await runExperiment(
      dataset,
      resolveRunConfig({ modelId: "bpr", params: { epochs: 3, factors: 4 }, patience: 10 }),
      { onPhase: (p) => void phases.push(p), onEpoch: (p) => void epochs.push(p.epoch) },
    );
    expect(phases).toEqual(["split", "fit", "evaluate"]);
    expect(epochs).toEqual([1, 2, 3]);
    expect(result.config.params).toMatchObject({ epochs: 3, factors: 4, learningRate: expect.any(Number) });
    expect(result.fit.epochsRun).toBe(3);
    expect(result.test.perUser.users.length).toBe(result.test.numUsers);
  });

  it("adds rating errors on test for a model that predicts explicit ratings", async () => {
    const result = await runExperiment(dataset, resolveRunConfig({ modelId: "mf", params: { epochs: 3 }, monitor: "rmse" }));
    expect(result.test.summary.rmse).toBeGreaterThan(0);
    expect(result.test.summary.mae).toBeGreaterThan(0);
    expect(result.test.summary["ndcg@10"]).toBeTypeOf("number");
    expect(result.history[0].metrics.rmse).toBeTypeOf("number");
  });

  it("treats every interaction as a positive of value 1 under implicit feedback", async () => {
    const result = await runExperiment(dataset, resolveRunConfig({ modelId: "item-knn", feedback: "implicit" }));
    expect(result.test.summary.rmse).toBeUndefined();
    expect(result.test.summary["ndcg@10"]).toBeGreaterThan(0);
  });

  it("reports the settings a model chose while fitting (EASE's λ), and none for models that choose nothing", async () => {
    const ease = await runExperiment(dataset, resolveRunConfig({ modelId: "ease", feedback: "implicit" }));
    expect(ease.fit.chosen).toEqual(ease.model.chosenSettings!());
    expect(ease.fit.chosen!.lambda).toBeGreaterThan(0);
    const fixed = await runExperiment(dataset, resolveRunConfig({ modelId: "ease", feedback: "implicit", params: { lambdaSearch: "off", lambda: 77 } }));
    expect(fixed.fit.chosen).toEqual({ lambda: 77 });
    const knn = await runExperiment(dataset, resolveRunConfig({ modelId: "item-knn", feedback: "implicit" }));
    expect(knn.fit.chosen).toBeUndefined();
  });

  it("adds beyond-accuracy metrics and per-user AUC on test, and on validation for search trials", async () => {
    const config = resolveRunConfig({ modelId: "item-knn", feedback: "implicit", ks: [5, 10] });
    const onTest = await runExperiment(dataset, config);
    const onValidation = await runExperiment(dataset, { ...config, evaluateTest: false });
    for (const { summary, perUser, numUsers } of [onTest.test, onValidation.validation!]) {
      for (const id of ["coverage", "gini", "entropy", "head-exposure", "arp", "aplt", "novelty", "ild", "miscalibration", "serendipity"]) {
        for (const k of [5, 10]) expect(Number.isFinite(summary[`${id}@${k}`]), `${id}@${k}`).toBe(true);
      }
      expect(summary.auc).toBeGreaterThan(0.5);
      expect(perUser.values.auc).toHaveLength(numUsers);
    }
    expect(onValidation.test.summary).toEqual({});
  });

  it("stops at an epoch boundary when cancelled and skips the test evaluation", async () => {
    let epochs = 0;
    const result = await runExperiment(dataset, resolveRunConfig({ modelId: "bpr", params: { epochs: 50, factors: 4 } }), {
      onEpoch: () => void epochs++,
      shouldStop: () => epochs >= 2,
    });
    expect(result.cancelled).toBe(true);
    expect(result.fit.epochsRun).toBe(2);
    expect(result.test.numUsers).toBe(0);
  });
});

describe("runExperiment's numerical guard", () => {
  /** Five interactions of three users: too few for a validation and a test set. */
  const tiny: Dataset = {
    numUsers: 3,
    numItems: 3,
    table: { users: Int32Array.from([0, 0, 1, 1, 2]), items: Int32Array.from([0, 1, 0, 2, 1]), ratings: Float32Array.from([5, 3, 4, 1, 2]), timestamps: Float64Array.from([1, 2, 3, 4, 5]) },
    userIds: ["1", "2", "3"],
    itemIds: ["10", "20", "30"],
    feedback: "explicit",
    hasTimestamps: true,
  };

  it("fails a run on a dataset too small to evaluate with BAD_INPUT and the sentence", async () => {
    await expect(runExperiment(tiny, resolveRunConfig({ modelId: "bpr", params: { epochs: 3 } }))).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: "the model diverged or the dataset is too small (5 interactions)",
    });
  });

  it("fails a diverging model at its first non-finite loss", async () => {
    const dataset = generateSynthetic({ numUsers: 60, numItems: 40, seed: 2 });
    const epochs: number[] = [];
    const run = runExperiment(dataset, resolveRunConfig({ modelId: "bpr", params: { epochs: 5, initStd: 1e200 } }), {
      onEpoch: (p) => void epochs.push(p.epoch),
    });
    await expect(run).rejects.toMatchObject({ code: "BAD_INPUT", message: `the model diverged or the dataset is too small (${dataset.table.users.length.toLocaleString("en-US")} interactions)` });
    expect(epochs).toEqual([]);
  });
});

describe("runExperiment above 20,000 validation users", () => {
  it("validates each epoch on a fixed, seeded sample of 10,000 users, records it for the learning curve, and tests on every user", async () => {
    const dataset = generateSynthetic({ numUsers: 21_000, numItems: 30, dim: 4, interactionsPerUser: 5, minInteractionsPerUser: 4, seed: 9 });
    const config = resolveRunConfig({ modelId: "bpr", params: { epochs: 1, factors: 4 }, split: { kind: "leave-one-out", seed: 1 }, ks: [10] });
    const result = await runExperiment(dataset, config);
    expect(result.fit.validationSample).toEqual({ users: 10_000, of: 21_000 });
    expect(describeValidationSample(result.fit.validationSample!)).toBe("validation on 10,000 sampled users of 21,000 (fixed, seeded); test on all users");
    expect(result.history).toHaveLength(1);
    expect(result.test.numUsers).toBe(21_000);
  }, 60_000);
});
