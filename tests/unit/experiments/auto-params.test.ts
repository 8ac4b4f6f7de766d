import { describe, expect, it } from "vitest";
import { applyAutoDefaults, describeAuto } from "@/lib/experiments/auto-params";
import { resolveRunConfig } from "@/lib/experiments/run-config";
import { autoDefaultsFor, itemSignalRatio, TUNED_SHAPE } from "@/lib/models/defaults/adaptive";
import { getModelDefinition } from "@/lib/models/registry";

const ML100K = { users: 943, items: 1682, interactions: 100_000 };
const MLLS = { users: 610, items: 9724, interactions: 100_836 };
const values = (modelId: string, shape: typeof ML100K) => {
  const d = autoDefaultsFor(modelId, shape);
  return Object.fromEntries([...Object.entries(d.params), ...Object.entries(d.run)].map(([k, c]) => [k, c!.value]));
};

describe("adaptive defaults: hand-computed values", () => {
  it("reads ml-latest-small as r = (100,836 / 9,724) / (100,000 / 1,682) = 10.370 / 59.453 = 0.1744", () => {
    expect(itemSignalRatio(ML100K)).toBe(1);
    expect(itemSignalRatio(MLLS)).toBeCloseTo(0.17442, 5);
  });

  it("BPR on ml-latest-small: decay 0.9^0.1744 = 0.9818, 100 / 0.1744 = 573 epochs, round(9,724 / 1,682) = 6 candidates, validation every 6", () => {
    expect(values("bpr", MLLS)).toEqual({ learningRateDecay: 0.9818, epochs: 573, negativeCandidates: 6, evalEvery: 6 });
  });

  it("autoencoders on ml-latest-small: batch 100, epochs 200 / 0.1744 = 1,147 capped by the work budget", () => {
    // CDAE (hidden 600 in and out): 2.5e12 / (3 · 610 · 9,724 · 1,200) = 117.1; Mult-DAE: / (… · 400) = 351.2;
    // Mult-VAE: / (… · 600) = 234.1. Patience round(5 / 0.1744) = 29 epochs (CDAE: floor(117 / 4) = 29 too).
    expect(values("cdae", MLLS)).toEqual({ batchSize: 100, epochs: 117, patience: 29 });
    expect(values("mult-dae", MLLS)).toEqual({ batchSize: 100, epochs: 351, patience: 29 });
    // β ramp: 200 epochs × ceil(610 / 100) = 7 batches.
    expect(values("mult-vae", MLLS)).toEqual({ batchSize: 100, epochs: 234, annealSteps: 1400, patience: 29 });
  });

  it("on a 200,000-item catalogue caps the batch by memory (floor(2^23 / 200,000) = 41) and keeps 20 epochs", () => {
    const d = autoDefaultsFor("cdae", { users: 100_000, items: 200_000, interactions: 1_000_000 });
    expect(d.params.batchSize.value).toBe(41);
    expect(d.params.batchSize.reason).toMatch(/activation kept under 8 M floats/);
    expect(d.params.epochs.value).toBe(20);
    // r = 5 / 59.453 = 0.0841 would wait round(5 / 0.0841) = 59 epochs; a quarter of 20 is 5, the floor.
    expect(d.run.patience?.value).toBe(5);
  });

  it("issue 15's scale shape (2,000 users × 17,000 items × 90,000): patience a quarter of the work-capped epochs", () => {
    // r = (90,000 / 17,000) / 59.453 = 5.294 / 59.453 = 0.08905: 5 / r = 56 epochs of patience, but
    // the work budget caps Mult-DAE at floor(2.5e12 / (3 × 2,000 × 17,000 × 400)) = 61 epochs,
    // Mult-VAE at floor(… × 600)) = 40 and CDAE at floor(… × 1,200)) = 20, the floor: patience
    // floor(61 / 4) = 15, floor(40 / 4) = 10, max(5, floor(20 / 4)) = 5.
    const shape = { users: 2000, items: 17_000, interactions: 90_000 };
    expect(itemSignalRatio(shape)).toBeCloseTo(0.08905, 4);
    expect(values("mult-dae", shape)).toEqual({ batchSize: 100, epochs: 61, patience: 15 });
    expect(values("mult-vae", shape)).toEqual({ batchSize: 100, epochs: 40, annealSteps: 4000, patience: 10 });
    expect(values("cdae", shape)).toEqual({ batchSize: 100, epochs: 20, patience: 5 });
    expect(autoDefaultsFor("mult-dae", shape).run.patience?.reason).toMatch(/a quarter of the 61-epoch cap, less than the 56/);
  });

  it("BPR on a large sparse catalogue: 8 candidates at most, epochs within 5·10⁸ triples", () => {
    // 200,000 items, 1.5 M interactions: round(200,000 / 1,682) = 119 → 8; r = 7.5 / 59.45 = 0.126, 100 / r = 793 > 5e8 / 1.5e6 = 333.
    const d = autoDefaultsFor("bpr", { users: 100_000, items: 200_000, interactions: 1_500_000 });
    expect(d.params.negativeCandidates.value).toBe(8);
    expect(d.params.epochs.value).toBe(333);
    expect(d.params.epochs.reason).toMatch(/budget of 5e\+8 sampled triples/);
  });

  it("NeuMF: the negatives adapt as BPR's (round(9,724 / 1,682) = 6 candidates on ml-latest-small, 8 at most), the width with the catalogue's fourth root, the schedule's interval by gradient steps", () => {
    // Factors: 32 × (9,724 / 1,682)^¼ = 49.6 → 48.
    expect(values("neumf", MLLS)).toEqual({ negativeCandidates: 6, factors: 48, scheduleEvery: 3 });
    // 32 × 118.9^¼ = 105.6: at most 64.
    expect(values("neumf", { users: 100_000, items: 200_000, interactions: 1_500_000 })).toEqual({ negativeCandidates: 8, factors: 64, scheduleEvery: 1 });
    // 12,176 items: 32 × 7.24^¼ = 52.5 → 56; 2,500 items: 35.4 → 32.
    expect(values("neumf", { users: 5_000, items: 12_176, interactions: 100_217 }).factors).toBe(56);
    expect(values("neumf", { users: 5_000, items: 2_500, interactions: 100_000 }).factors).toBe(32);
    // 300 × 200 with 8,760 interactions: 3 × 100,000 / 8,760 = 34 epochs; tiny data stops at 60. Never narrower than 32.
    expect(values("neumf", { users: 300, items: 200, interactions: 8_760 })).toEqual({ negativeCandidates: 1, factors: 32, scheduleEvery: 34 });
    expect(values("neumf", { users: 30, items: 20, interactions: 500 }).scheduleEvery).toBe(60);
  });

  it("gives every reason with its numbers", () => {
    expect(autoDefaultsFor("bpr", MLLS).params.epochs.reason).toMatch(/~10 times per epoch \(ml-100k, where the defaults were tuned: 59\)/);
  });

  it("models without rules get none", () => {
    expect(autoDefaultsFor("item-knn", ML100K)).toEqual({ params: {}, run: {} });
  });
});

describe("adaptive defaults at ml-100k's shape reproduce the tuned static defaults", () => {
  it.each(["bpr", "neumf", "cdae", "mult-dae", "mult-vae"])("%s", (modelId) => {
    expect(TUNED_SHAPE).toEqual(ML100K);
    const statics = getModelDefinition(modelId).paramsSchema.parse({}) as Record<string, unknown>;
    const auto = autoDefaultsFor(modelId, ML100K);
    for (const [key, choice] of Object.entries(auto.params)) {
      // Mult-VAE's static annealSteps 0 means "over the whole run": 200 epochs × 10 batches.
      if (key === "annealSteps") expect(choice.value).toBe(200 * Math.ceil(943 / 100));
      else expect([key, choice.value]).toEqual([key, statics[key]]);
    }
    const run = Object.values(auto.run).map((c) => c!.value);
    // evalEvery 1 or patience 5: the static run controls (NeuMF's stay as they are).
    expect(run).toEqual(modelId === "neumf" ? [] : [modelId === "bpr" ? 1 : 5]);
  });
});

describe("applyAutoDefaults", () => {
  it("fills absent and 'auto' fields, keeps explicit ones, records reasons", () => {
    const input = { modelId: "mult-vae", params: { epochs: 7, annealSteps: "auto", hidden: "auto" }, patience: "auto" };
    const out = applyAutoDefaults(input, MLLS) as Record<string, any>;
    expect(out.params).toEqual({ epochs: 7, annealSteps: 1400, batchSize: 100 }); // hidden has no rule: the schema default applies
    expect(out.patience).toBe(29);
    expect(Object.keys(out.auto).sort()).toEqual(["params.annealSteps", "params.batchSize", "patience"]);
    expect(input.params.annealSteps).toBe("auto"); // not modified
    const config = resolveRunConfig(out);
    expect(config.params).toMatchObject({ epochs: 7, annealSteps: 1400, hidden: 0 });
    expect(config.auto?.["params.annealSteps"].reason).toMatch(/200 epochs × 7 batches/);
    expect(describeAuto(config.auto).map((l) => l.field)).toEqual(["annealSteps", "batchSize", "patience"]);
  });

  it("leaves an explicit run control and the params an experiment searches", () => {
    const out = applyAutoDefaults({ modelId: "bpr", evalEvery: 2 }, MLLS, ["epochs"]) as Record<string, any>;
    expect(out.evalEvery).toBe(2);
    expect(out.params).toEqual({ learningRateDecay: 0.9818, negativeCandidates: 6 });
    expect(Object.keys(out.auto)).toEqual(["params.learningRateDecay", "params.negativeCandidates"]);
  });

  it("adds nothing for a model without rules", () => {
    const out = applyAutoDefaults({ modelId: "item-knn", params: {} }, MLLS) as Record<string, unknown>;
    expect(out).toEqual({ modelId: "item-knn", params: {} });
  });
});
