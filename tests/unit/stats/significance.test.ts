import { describe, expect, it } from "vitest";
import { normalCdf, regularizedIncompleteBeta, studentTCdf } from "@/lib/stats/distributions";
import { holmAdjust } from "@/lib/stats/multiple-testing";
import { pairedTTest, wilcoxonSignedRank } from "@/lib/stats/paired-tests";

// Student's sleep data (Cushny & Peebles 1905, as in Student 1908 and R's `sleep`): extra hours
// of sleep under two drugs for the same ten patients.
const SLEEP_DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

// Hollander & Wolfe (1973, p. 29), R's wilcox.test example: Hamilton depression scale before (x)
// and after (y) a tranquilliser for nine patients.
const HW_X = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const HW_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

describe("distributions", () => {
  it.each([
    ["t = 2.262157, df 9 (the 97.5% quantile)", 2.262157, 9, 0.9749999933],
    ["t = -1.5, df 3", -1.5, 3, 0.1152919326],
    ["t = 0.7, df 120", 0.7, 120, 0.7573589223],
    ["t = 0 is the median", 0, 7, 0.5],
  ])("Student t CDF at %s", (_label, t, df, expected) => {
    expect(studentTCdf(t, df)).toBeCloseTo(expected, 8);
  });

  it("I_x(a, b) matches closed forms: I_x(1, 1) = x and I_x(a, 1) = x^a", () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedIncompleteBeta(0.6, 3, 1)).toBeCloseTo(0.216, 12);
    expect(regularizedIncompleteBeta(0.5, 4.5, 4.5)).toBeCloseTo(0.5, 12);
  });

  it("normal CDF at textbook points", () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.6086)).toBeCloseTo(0.0045457, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  });
});

describe("paired t-test", () => {
  it("reproduces Student's sleep data: t = -4.0621, df = 9, p = 0.002833", () => {
    const r = pairedTTest(SLEEP_DRUG_1, SLEEP_DRUG_2);
    expect(r.meanDifference).toBeCloseTo(-1.58, 10);
    expect(r.statistic).toBeCloseTo(-4.062127683, 8);
    expect(r.df).toBe(9);
    expect(r.p).toBeCloseTo(0.002832890197, 9);
  });

  it("identical samples give p = 1; a constant shift gives p = 0", () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).p).toBe(1);
    expect(pairedTTest([2, 3, 4], [1, 2, 3]).p).toBe(0);
  });
});

describe("Wilcoxon signed-rank test", () => {
  it("exact: Hollander & Wolfe's depression data, V = 40, two-sided p = 0.0390625", () => {
    const r = wilcoxonSignedRank(HW_X, HW_Y);
    expect(r.method).toBe("exact");
    expect(r.n).toBe(9);
    expect(r.statistic).toBe(40);
    expect(r.p).toBeCloseTo(0.0390625, 12);
  });

  it("normal approximation with a zero and ties: sleep data, V = 0, p = 0.009091", () => {
    const r = wilcoxonSignedRank(SLEEP_DRUG_1, SLEEP_DRUG_2);
    expect(r.method).toBe("normal");
    expect(r.n).toBe(9); // the zero difference is dropped
    expect(r.statistic).toBe(0);
    expect(r.p).toBeCloseTo(0.009090698, 6);
  });

  it("is symmetric in its arguments and gives p = 1 without differences", () => {
    expect(wilcoxonSignedRank(HW_Y, HW_X).p).toBeCloseTo(0.0390625, 12);
    expect(wilcoxonSignedRank([1, 2], [1, 2]).p).toBe(1);
  });
});

describe("Holm correction", () => {
  it("matches R's p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm')", () => {
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 12));
  });

  it("caps at 1 and ignores NaN", () => {
    const adjusted = holmAdjust([0.3, Number.NaN, 0.7]);
    expect(adjusted[0]).toBeCloseTo(0.6, 12);
    expect(adjusted[1]).toBeNaN();
    expect(adjusted[2]).toBeCloseTo(0.7, 12);
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
  });
});
