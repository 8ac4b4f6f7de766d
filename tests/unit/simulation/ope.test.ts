import { describe, expect, it } from "vitest";
import { directMethod, doublyRobust, fitPbmRewardModel, ips, meanWeight, opePointEstimates, opeWithIntervals, predictReward, snips, type PositionwiseLog } from "@/lib/simulation/ope";

const f64 = (...x: number[]) => Float64Array.from(x);

/**
 * Two visits, three slots. w = π_target / π_logging = [2, 2, 0.5].
 *   IPS   = (2·1 + 2·0 + 0.5·1) / 3 = 0.8333…
 *   SNIPS = 2.5 / (2 + 2 + 0.5) = 0.5555…
 *   DM    = (0.6 + 0.1 + 0.3) / 3 = 0.3333…
 *   DR    = ([0.6 + 2(1 − 0.4)] + [0.1 + 2(0 − 0.2)] + [0.3 + 0.5(1 − 0.5)]) / 3 = 2.05 / 3 = 0.6833…
 */
const tiny: PositionwiseLog = {
  rewards: f64(1, 0, 1),
  loggingPropensity: f64(0.5, 0.25, 0.8),
  targetPropensity: f64(1, 0.5, 0.4),
  predicted: f64(0.4, 0.2, 0.5),
  targetPredicted: f64(0.6, 0.1, 0.3),
  visitStart: Int32Array.of(0, 2, 3),
};

describe("position-wise off-policy estimators", () => {
  it("reproduce the hand-computed IPS, SNIPS, DM and DR of a tiny log", () => {
    expect(ips(tiny)).toBeCloseTo(2.5 / 3, 12);
    expect(snips(tiny)).toBeCloseTo(2.5 / 4.5, 12);
    expect(directMethod(tiny)).toBeCloseTo(1 / 3, 12);
    expect(doublyRobust(tiny)).toBeCloseTo(2.05 / 3, 12);
    expect(meanWeight(tiny)).toBeCloseTo(4.5 / 3, 12);
  });

  it("equal the on-policy mean when target = logging and DR's model is perfect", () => {
    const log = { ...tiny, targetPropensity: tiny.loggingPropensity, predicted: f64(0.3, 0.3, 0.3), targetPredicted: f64(0.3, 0.3, 0.3) };
    const e = opePointEstimates(log);
    expect(e.IPS).toBeCloseTo(2 / 3, 12);
    expect(e.SNIPS).toBeCloseTo(2 / 3, 12);
    expect(e.DR).toBeCloseTo(2 / 3, 12); // 0.3 + mean(r − 0.3)
    expect(e.DM).toBeCloseTo(0.3, 12);
  });

  it("bootstrap intervals resample visits: one visit gives a zero-width interval at the estimate", () => {
    const one: PositionwiseLog = { ...tiny, visitStart: Int32Array.of(0, 3) };
    const r = opeWithIntervals(one, { seed: 1, resamples: 50 });
    for (const e of Object.values(r)) {
      expect(e.ci[0]).toBeCloseTo(e.value, 12);
      expect(e.ci[1]).toBeCloseTo(e.value, 12);
    }
  });

  it("bootstrap intervals are seeded and contain the estimate", () => {
    const a = opeWithIntervals(tiny, { seed: 3, resamples: 200 });
    expect(opeWithIntervals(tiny, { seed: 3, resamples: 200 })).toEqual(a);
    // Two visits: the resampled IPS is the mean over 2 draws of visit IPS sums (2 over 2 slots, 0.5 over 1 slot).
    expect(a.IPS.ci[0]).toBeCloseTo(0.5, 12); // visit 1 twice: 1 / 2
    expect(a.IPS.ci[1]).toBeCloseTo(1, 12); // visit 0 twice: 4 / 4
    for (const e of Object.values(a)) expect(e.ci[0] <= e.value && e.value <= e.ci[1]).toBe(true);
  });

  it("refuses a log without positive logging propensities or with misaligned arrays", () => {
    expect(() => ips({ ...tiny, loggingPropensity: f64(0.5, 0, 0.8) })).toThrow(/slot 1: logging propensity/);
    expect(() => ips({ ...tiny, predicted: f64(0.4) })).toThrow(/predicted has 1 entries/);
    expect(() => ips({ ...tiny, visitStart: Int32Array.of(0, 2) })).toThrow(/visitStart/);
  });
});

describe("the direct method's position-based reward model", () => {
  it("recovers θ_k · γ_j exactly from rank-one expected rewards", () => {
    // θ = [0.5, 0.25], γ = [1.2, 0.8]: r(item, slot) = θ_slot · γ_item.
    const model = fitPbmRewardModel(Int32Array.of(0, 1, 0, 1), Int32Array.of(0, 0, 1, 1), f64(0.6, 0.4, 0.3, 0.2), 3, 2, { prior: 0, iterations: 50 });
    expect(predictReward(model, 0, 0)).toBeCloseTo(0.6, 9);
    expect(predictReward(model, 1, 0)).toBeCloseTo(0.4, 9);
    expect(predictReward(model, 0, 1)).toBeCloseTo(0.3, 9);
    expect(predictReward(model, 1, 1)).toBeCloseTo(0.2, 9);
  });

  it("shrinks items towards the slot average: a never-shown item gets θ_k", () => {
    const model = fitPbmRewardModel(Int32Array.of(0, 0), Int32Array.of(0, 0), f64(1, 1), 2, 1, { prior: 2, iterations: 1 });
    // θ_0 = 2 clicks / 2 impressions of γ = 1; γ_0 = (2 + 2) / (2 · 1 + 2) = 1; γ_1 = 1 (never shown).
    expect(model.slot[0]).toBe(1);
    expect(model.item[1]).toBe(1);
    expect(model.itemSum).toBe(2);
  });
});
