import { describe, expect, it } from "vitest";
import { analyzeAbTest } from "@/lib/stats/ab-tests";
import { abVerdict } from "@/lib/stats/ab-verdict";
import { twoProportionZTest } from "@/lib/stats/proportions";
import type { AbAnalysis, AbMetricRow, ArmTotals } from "@/lib/simulation/types";
import { Rng } from "@/lib/util/rng";

interface ArmModel {
  /** Mean CTR; each user's own CTR is drawn uniformly from [0, 2 × ctr] (heterogeneous users). */
  ctr: number;
  /** Mean dwell seconds per click (exponential). */
  dwell?: number;
  conversion?: number;
  returnRate?: number;
}

/** Per-user totals from one seeded process: 1–5 visits of 10 impressions, binomial clicks. */
function simulateArm(armId: string, users: number, model: ArmModel, rng: Rng): ArmTotals {
  const f = () => new Float64Array(users);
  const arm: ArmTotals = {
    armId,
    label: armId,
    visits: f(),
    impressions: f(),
    clicks: f(),
    dwellSeconds: f(),
    conversions: f(),
    returned: new Uint8Array(users),
    distinctItemsShown: 0,
    catalogueSize: 0,
  };
  for (let u = 0; u < users; u++) {
    const visits = 1 + rng.int(5);
    const p = 2 * model.ctr * rng.next();
    let clicks = 0;
    for (let i = 0; i < visits * 10; i++) if (rng.next() < p) clicks++;
    let dwell = 0;
    for (let c = 0; c < clicks; c++) dwell += -(model.dwell ?? 30) * Math.log(1 - rng.next());
    arm.visits[u] = visits;
    arm.impressions[u] = visits * 10;
    arm.clicks[u] = clicks;
    arm.dwellSeconds[u] = dwell;
    arm.conversions[u] = rng.next() < (model.conversion ?? 0.05) ? 1 : 0;
    arm.returned[u] = rng.next() < (model.returnRate ?? 0.6) ? 1 : 0;
  }
  return arm;
}

const row = (a: AbAnalysis, id: string): AbMetricRow => {
  const found = a.metrics.find((m) => m.metricId === id);
  if (!found) throw new Error(`no metric ${id}`);
  return found;
};

/** Every number in the analysis is finite (no NaN or Infinity reaches the page or JSON). */
function allFinite(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value && typeof value === "object") return Object.values(value).every(allFinite);
  return true;
}

describe("A/A test", () => {
  it("two identical arms flag a significant CTR difference in 2–9% of 200 seeded repetitions at α = 0.05", () => {
    let deltaRejections = 0;
    let naiveRejections = 0;
    for (let rep = 0; rep < 200; rep++) {
      const rng = new Rng(1000 + rep);
      const a = simulateArm("A", 1000, { ctr: 0.1 }, rng);
      const b = simulateArm("B", 1000, { ctr: 0.1 }, rng);
      const ctr = row(analyzeAbTest([a, b], { expectedShares: [0.5, 0.5] }), "ctr").comparisons[0];
      // CTR alone, unadjusted: Holm across the five metrics would only lower the rate.
      if (ctr.pValue < 0.05) deltaRejections++;
      // The same data analysed as if impressions were independent (a binomial test over
      // impressions) ignores that one user's clicks are correlated.
      const sum = (x: Float64Array) => x.reduce((s, v) => s + v, 0);
      if (twoProportionZTest(sum(b.clicks), sum(b.impressions), sum(a.clicks), sum(a.impressions)).pValue < 0.05) naiveRejections++;
    }
    expect(deltaRejections / 200).toBeGreaterThanOrEqual(0.02);
    expect(deltaRejections / 200).toBeLessThanOrEqual(0.09);
    // Seeds 1000–1199 give 6 (3%) with the delta method and 41 (20.5%) with the naive test.
    expect(naiveRejections / 200).toBeGreaterThan(0.1);
  });
});

describe("analyzeAbTest", () => {
  const rng = new Rng(7);
  const control = simulateArm("A", 6000, { ctr: 0.1 }, rng);
  const treatment = simulateArm("B", 6000, { ctr: 0.112, dwell: 24 }, rng);
  const analysis = analyzeAbTest([control, treatment], { expectedShares: [0.5, 0.5], sequential: true });

  it("detects a 12% CTR lift and a dwell regression, and keeps unaffected metrics unchanged", () => {
    const ctr = row(analysis, "ctr");
    expect(ctr.comparisons[0].lift).toBeGreaterThan(0.06);
    expect(ctr.comparisons[0].lift).toBeLessThan(0.18);
    expect(ctr.comparisons[0].liftCi[0]).toBeGreaterThan(0);
    expect(ctr.comparisons[0].significant).toBe(true);
    expect(ctr.comparisons[0].test).toMatch(/delta method/);
    const dwell = row(analysis, "dwell_mean");
    expect(dwell.guardrail).toBe(true);
    expect(dwell.comparisons[0].lift).toBeLessThan(-0.1);
    expect(dwell.comparisons[0].significant).toBe(true);
    expect(row(analysis, "return_rate").comparisons[0].test).toBe("two-proportion z");
    expect(analysis.srm.mismatch).toBe(false);
    expect(allFinite(analysis)).toBe(true);
  });

  it("arm values carry CIs around the pooled ratio; the sequential CI is wider than the fixed one", () => {
    const ctr = row(analysis, "ctr");
    const sumClicks = control.clicks.reduce((s, v) => s + v, 0);
    const sumImpressions = control.impressions.reduce((s, v) => s + v, 0);
    expect(ctr.arms[0].value).toBeCloseTo(sumClicks / sumImpressions, 14);
    const [lo, hi] = ctr.arms[0].ci ?? [NaN, NaN];
    expect(lo).toBeLessThan(ctr.arms[0].value);
    expect(hi).toBeGreaterThan(ctr.arms[0].value);
    const c = ctr.comparisons[0];
    expect(c.sequentialCi?.[0]).toBeLessThan(c.liftCi[0]);
    expect(c.sequentialCi?.[1]).toBeGreaterThan(c.liftCi[1]);
  });

  it("states the lift each comparison could detect with 80% power", () => {
    // Return rate: two proportions, so the MDE is (1.959964 + 0.841621) · √(p_T q_T/n_T + p_C q_C/n_C) / p_C.
    const returned = (a: ArmTotals) => a.returned.reduce((s, v) => s + v, 0) / a.returned.length;
    const pc = returned(control);
    const pt = returned(treatment);
    const expected = ((1.959963985 + 0.841621234) * Math.sqrt((pt * (1 - pt)) / 6000 + (pc * (1 - pc)) / 6000)) / pc;
    expect(row(analysis, "return_rate").comparisons[0].minimumDetectableLift).toBeCloseTo(expected, 8);
    // The CTR lift was found at p < 0.001, so it is well above what the test could detect.
    const ctr = row(analysis, "ctr").comparisons[0];
    expect(ctr.minimumDetectableLift).toBeGreaterThan(0.01);
    expect(ctr.minimumDetectableLift).toBeLessThan(ctr.lift);
  });

  it("Holm-adjusts across metrics × treatment arms", () => {
    const three = analyzeAbTest([control, treatment, simulateArm("C", 6000, { ctr: 0.1 }, new Rng(8))], { expectedShares: [1, 1, 1] });
    const all = three.metrics.flatMap((m) => m.comparisons);
    expect(all).toHaveLength(10);
    const sorted = [...all].sort((x, y) => x.pValue - y.pValue);
    // The smallest p is multiplied by the number of tests (10), the next by 9, ...
    expect(sorted[0].pAdjusted).toBeCloseTo(Math.min(1, 10 * sorted[0].pValue), 14);
    expect(sorted[1].pAdjusted).toBeCloseTo(Math.min(1, Math.max(10 * sorted[0].pValue, 9 * sorted[1].pValue)), 14);
    for (const c of all) expect(c.significant).toBe(c.pAdjusted < 0.05);
  });

  it("catalogue coverage appears only when every arm knows its catalogue size, without a test", () => {
    expect(analysis.metrics.some((m) => m.metricId === "coverage")).toBe(false);
    const withCatalogue = [
      { ...control, distinctItemsShown: 150, catalogueSize: 1000 },
      { ...treatment, distinctItemsShown: 420, catalogueSize: 1000 },
    ];
    const coverage = row(analyzeAbTest(withCatalogue, { expectedShares: [0.5, 0.5] }), "coverage");
    expect(coverage.arms.map((a) => a.value)).toEqual([0.15, 0.42]);
    expect(coverage.arms.every((a) => a.ci === null)).toBe(true);
    expect(coverage.comparisons).toEqual([]);
  });

  it("states the SRM first when the split does not match the recorded ratio", () => {
    const skewed = analyzeAbTest([control, simulateArm("B", 4000, { ctr: 0.1 }, new Rng(9))], { expectedShares: [0.5, 0.5] });
    expect(skewed.srm.mismatch).toBe(true);
    expect(skewed.verdict[0]).toMatch(/^Sample ratio mismatch \(χ² = 400\.0, p < 0\.001\): users split 6,000 \/ 4,000 where 50% \/ 50% was expected/);
    expect(skewed.verdict[0]).toMatch(/should not be trusted/);
  });
});

describe("degenerate inputs", () => {
  const empty = (armId: string): ArmTotals => simulateArm(armId, 0, { ctr: 0.1 }, new Rng(1));

  it("an arm with no users gives placeholders with a reason, finite numbers and a sentence", () => {
    const a = simulateArm("A", 500, { ctr: 0.1 }, new Rng(2));
    const result = analyzeAbTest([a, empty("B")], { expectedShares: [0.5, 0.5] });
    expect(allFinite(result)).toBe(true);
    const ctr = row(result, "ctr");
    expect(ctr.arms[1]).toEqual({ armId: "B", value: 0, ci: null, missing: "no users" });
    expect(ctr.comparisons[0]).toMatchObject({ missing: "B: no users", pValue: 1, significant: false });
    expect(result.verdict).toContain("B has no users, so none of its metrics can be computed or compared.");
  });

  it("no users at all", () => {
    const result = analyzeAbTest([empty("A"), empty("B")], { expectedShares: [0.5, 0.5] });
    expect(allFinite(result)).toBe(true);
    expect(result.srm.mismatch).toBe(false);
    expect(result.verdict).toEqual(["No users were assigned to any arm, so there is nothing to analyse yet."]);
  });

  it("zero impressions and zero clicks: CTR and dwell are missing, the rates are still compared", () => {
    const zero = (armId: string) => ({ ...simulateArm(armId, 300, { ctr: 0.1 }, new Rng(3)), impressions: new Float64Array(300), clicks: new Float64Array(300), dwellSeconds: new Float64Array(300) });
    const result = analyzeAbTest([zero("A"), zero("B")], { expectedShares: [0.5, 0.5] });
    expect(allFinite(result)).toBe(true);
    expect(row(result, "ctr").comparisons[0].missing).toBe("A: no impressions");
    expect(row(result, "dwell_mean").comparisons[0].missing).toBe("A: no clicks");
    // Zero clicks everywhere: clicks per session is 0 in both arms, so no relative lift exists.
    expect(row(result, "clicks_per_session").comparisons[0].missing).toMatch(/A's clicks per session is 0/);
    expect(row(result, "return_rate").comparisons[0].missing).toBeUndefined();
    expect(result.verdict.join(" ")).toMatch(/CTR not compared \(A: no impressions\)/);
  });

  it("identical arms with zero variance: p = 1, lift 0, no NaN", () => {
    const constant = (armId: string): ArmTotals => {
      const n = 50;
      return { armId, label: armId, visits: new Float64Array(n).fill(2), impressions: new Float64Array(n).fill(20), clicks: new Float64Array(n).fill(3), dwellSeconds: new Float64Array(n).fill(90), conversions: new Float64Array(n), returned: new Uint8Array(n).fill(1), distinctItemsShown: 0, catalogueSize: 0 };
    };
    const result = analyzeAbTest([constant("A"), constant("B")], { expectedShares: [0.5, 0.5], sequential: true });
    expect(allFinite(result)).toBe(true);
    expect(row(result, "ctr").comparisons[0]).toMatchObject({ lift: 0, liftCi: [0, 0], pValue: 1, significant: false, sequentialCi: [0, 0] });
    expect(row(result, "ctr").arms[0].value).toBeCloseTo(0.15, 15);
    // Conversion 0 in both arms: the test runs (p = 1), the relative lift does not exist.
    expect(row(result, "conversion").comparisons[0].missing).toMatch(/is 0/);
    expect(result.verdict[0]).toMatch(/^B shows no significant difference from A: CTR unchanged \(p = 1\)/);
  });

  it("a single user per arm: values without a CI, comparisons marked too few users", () => {
    const one = (armId: string) => simulateArm(armId, 1, { ctr: 0.5 }, new Rng(armId === "A" ? 4 : 5));
    const result = analyzeAbTest([one("A"), one("B")], { expectedShares: [0.5, 0.5] });
    expect(allFinite(result)).toBe(true);
    expect(row(result, "clicks_per_session").arms[0].ci).toBeNull();
    expect(row(result, "clicks_per_session").comparisons[0].missing).toBe("too few users for a test");
  });
});

describe("verdict sentences", () => {
  const base = (metrics: AbMetricRow[]): Omit<AbAnalysis, "verdict"> => ({
    alpha: 0.05,
    controlArmId: "a",
    arms: [
      { armId: "a", label: "A", users: 5000, expectedShare: 0.5 },
      { armId: "b", label: "B", users: 5000, expectedShare: 0.5 },
    ],
    metrics,
    srm: { observed: [5000, 5000], expected: [5000, 5000], chiSquare: 0, df: 1, pValue: 1, mismatch: false },
  });
  const metric = (metricId: AbMetricRow["metricId"], guardrail: boolean, c: { lift: number; ci: [number, number]; p: number; adjusted: number }): AbMetricRow => ({
    metricId,
    label: metricId,
    higherIsBetter: true,
    guardrail,
    arms: [],
    comparisons: [{ armId: "b", lift: c.lift, liftCi: c.ci, pValue: c.p, pAdjusted: c.adjusted, significant: c.adjusted < 0.05, test: "t" }],
  });

  it("the issue's example sentence", () => {
    const verdict = abVerdict(
      base([
        metric("ctr", false, { lift: 0.041, ci: [0.012, 0.07], p: 0.006, adjusted: 0.006 }),
        metric("dwell_mean", true, { lift: 0.01, ci: [-0.014, 0.034], p: 0.41, adjusted: 0.41 }),
      ]),
    );
    expect(verdict).toEqual(["B raises CTR by 4.1% (95% CI 1.2% to 7.0%, p = 0.006); dwell time per click unchanged (p = 0.41)."]);
  });

  it("a significant guardrail regression gets its own sentence; Holm-adjusted p is named when it differs", () => {
    const verdict = abVerdict(
      base([
        metric("ctr", false, { lift: 0.08, ci: [0.05, 0.11], p: 0.0001, adjusted: 0.0002 }),
        metric("return_rate", true, { lift: -0.052, ci: [-0.08, -0.024], p: 0.004, adjusted: 0.008 }),
      ]),
    );
    expect(verdict).toEqual([
      "B raises CTR by 8.0% (95% CI 5.0% to 11.0%, p < 0.001); lowers return rate by 5.2% (95% CI -8.0% to -2.4%, p = 0.004, Holm-adjusted 0.008).",
      "Guardrail: B makes return rate worse than A; weigh this before shipping.",
    ]);
  });

  it("significant before Holm but not after is reported as not significant", () => {
    const verdict = abVerdict(base([metric("conversion", false, { lift: 0.021, ci: [0.002, 0.04], p: 0.03, adjusted: 0.12 })]));
    expect(verdict).toEqual([
      "B shows no significant difference from A: conversion rate +2.1%, not significant after the Holm correction (p = 0.030, adjusted 0.12).",
    ]);
  });
});
