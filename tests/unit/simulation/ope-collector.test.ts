import { describe, expect, it } from "vitest";
import { simulatorConfigSchema, type SimulationEnvironment } from "@/lib/simulation/environment";
import { OpeCollector } from "@/lib/simulation/ope-collector";
import type { SlotOutcome, Visit } from "@/lib/simulation/types";

// Six items of attraction [0.4, 0.2, 0.1, 0.1, 0.1, 0.9] for the one user; slots examined 1 and 0.5.
const attraction = [0.4, 0.2, 0.1, 0.1, 0.1, 0.9];
const env: SimulationEnvironment = {
  numUsers: 1,
  numItems: 6,
  config: simulatorConfigSchema.parse({}),
  assumptions: () => [],
  groundTruthFamily: "ease",
  attraction: (_u, items) => Float64Array.from(items, (j) => attraction[j]),
  examination: () => Float64Array.of(1, 0.5),
  attractionSum: () => attraction.reduce((s, x) => s + x, 0),
};
// Target: items 0, 1 with probability 0.5 each, else a uniform draw from the pool {2, 3, 4} (item 5 excluded).
const target = { marginals: () => ({ items: Int32Array.of(0, 1), explore: 0.5, excluded: Int32Array.of(5), poolSize: 3 }) };
const visit: Visit = { user: 0, visitor: 0, session: 0, history: new Int32Array(0) };
const outcome = (clicked: boolean): SlotOutcome => ({ examined: true, clicked, dwellSeconds: clicked ? 30 : 0, converted: false });

describe("OpeCollector", () => {
  it("logs the target's marginal propensity of each logged item and its ground-truth expected CTR", () => {
    const c = new OpeCollector(env, "log", "target", target, Float64Array.of(1, 0.5));
    c.record(visit, { items: Int32Array.of(0, 2), propensities: Float64Array.of(0.8, 0.1) }, [outcome(true), outcome(false)]);
    c.record(visit, { items: Int32Array.of(3, 1), propensities: Float64Array.of(0.1, 0.8) }, [outcome(false), outcome(false)]);
    const byEstimator = Object.fromEntries(c.estimates(0.2, { seed: 1, resamples: 20 }).map((e) => [e.estimator, e]));
    // Target propensities: item 0 at its slot 0.5, item 2 a pool item 0.5 / 3, item 3 at slot 1 a pool item, item 1 at its slot 0.5.
    // w = [0.5 / 0.8, (1/6) / 0.1, (1/6) / 0.1, 0.5 / 0.8]; only slot 1 of visit 1 was clicked: IPS = 0.625 / 4.
    expect(byEstimator.IPS.value).toBeCloseTo(0.625 / 4, 12);
    expect(byEstimator.SNIPS.value).toBeCloseTo(0.625 / (1.25 + 10 / 3), 12);
    expect(byEstimator.IPS.support).toBeCloseTo((1.25 + 10 / 3) / 4, 12);
    // Expected clicks per visit: 1 · (0.5 · 0.4 + 0.5 · 0.1) + 0.5 · (0.5 · 0.2 + 0.5 · 0.1) = 0.325, pool mean (1.8 − 0.6 − 0.9) / 3 = 0.1.
    expect(byEstimator.IPS.expected).toBeCloseTo(0.65 / 4, 12);
    expect(byEstimator.DR.truth).toBe(0.2);
  });

  it("gives up on a logging arm whose slates carry no propensities, and has no expected CTR under the cascade", () => {
    const c = new OpeCollector(env, "log", "target", target, Float64Array.of(1, 0.5));
    c.record(visit, { items: Int32Array.of(0, 2) }, [outcome(true), outcome(false)]);
    expect(c.valid).toBe(false);
    expect(c.estimates(null, { seed: 1 })).toEqual([]);
    const cascade = new OpeCollector({ ...env, config: simulatorConfigSchema.parse({ examination: "cascade" }) }, "log", "target", target, Float64Array.of(1, 0.5));
    cascade.record(visit, { items: Int32Array.of(0, 2), propensities: Float64Array.of(0.8, 0.1) }, [outcome(true), outcome(false)]);
    expect(cascade.estimates(null, { seed: 1, resamples: 10 })[0].expected).toBeNull();
  });
});
