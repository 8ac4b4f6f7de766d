import { describe, expect, it } from "vitest";
import { relativeLift, ratioEstimate } from "@/lib/stats/delta-method";
import { chiSquareSurvival, normalQuantile, normalTwoSided, studentTQuantile } from "@/lib/stats/distributions";
import { meanEstimate } from "@/lib/stats/estimate";
import { minimumDetectableLift, requiredUsersPerArm } from "@/lib/stats/power";
import { mdeInputSchema, sampleSizeInputSchema } from "@/lib/stats/power-schema";
import { twoProportionZTest, wilsonInterval } from "@/lib/stats/proportions";
import { alwaysValidInterval, mixtureSprtPValue } from "@/lib/stats/sequential";
import { sampleRatioCheck } from "@/lib/stats/srm";
import { welchTTest } from "@/lib/stats/welch";
import { Rng } from "@/lib/util/rng";

// Reference values are R's (stated per case) and were cross-checked with SciPy 1.17
// (scipy.stats.norm.ppf, t.ppf, chi2.sf, ttest_ind(equal_var=False), chisquare).

describe("distribution functions", () => {
  it.each([
    [0.975, 1.959963984540054],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
    [0.6, 0.2533471031357997],
    [0.999999, 4.753424308822899],
  ])("qnorm(%s) = %s", (p, expected) => {
    expect(normalQuantile(p)).toBeCloseTo(expected, 10);
  });

  it.each([
    [0.975, 9, 2.262157162740992],
    [0.025, 3, -3.182446305284263],
    [0.995, 17.776, 2.882659870],
    [0.9, 1, 3.077683537175253],
  ])("qt(%s, df = %s) = %s", (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 7);
  });

  it.each([
    [4, 1, 0.04550026389635857],
    [10, 3, 0.01856613546304325],
    [0.5, 2, 0.7788007830714049],
    [100, 50, 3.45493138e-5],
    [1000, 900, 0.0109946089],
  ])("pchisq(%s, df = %s, lower.tail = FALSE) = %s", (x, df, expected) => {
    expect(chiSquareSurvival(x, df) / expected).toBeCloseTo(1, 7);
  });

  // R: 2 * pnorm(-abs(z))
  it.each([
    [0, 1],
    [1.959963984540054, 0.05],
    [-2.5, 0.01241933065155229],
    [6, 1.973175290075e-9],
  ])("2·pnorm(−|%s|) = %s", (z, expected) => {
    expect(normalTwoSided(z) / expected).toBeCloseTo(1, 10);
  });
});

describe("two-proportion z test", () => {
  // R: prop.test(c(120, 150), c(1000, 1000), correct = FALSE)
  //   X-squared = 3.8536, df = 1, p-value = 0.04964
  //   95 percent confidence interval: -0.059923971 -0.000076029
  it("matches prop.test without continuity correction", () => {
    const r = twoProportionZTest(120, 1000, 150, 1000);
    expect(r.z * r.z).toBeCloseTo(3.8535645472, 8);
    expect(r.z).toBeLessThan(0);
    expect(r.pValue).toBeCloseTo(0.04964038687, 11);
    expect(r.ci[0]).toBeCloseTo(-0.05992397118, 9);
    expect(r.ci[1]).toBeCloseTo(-0.00007602882, 9);
  });

  it("identical all-zero groups give z = 0 and p = 1, not NaN", () => {
    const r = twoProportionZTest(0, 500, 0, 400);
    expect(r.z).toBe(0);
    expect(r.pValue).toBe(1);
  });

  // R: prop.test(7, 50, correct = FALSE)$conf.int = 0.06950833 0.26186194 (Wilson).
  it("Wilson interval matches prop.test's one-sample interval", () => {
    const [lo, hi] = wilsonInterval(7, 50);
    expect(lo).toBeCloseTo(0.0695083343, 9);
    expect(hi).toBeCloseTo(0.2618619371, 9);
  });
});

describe("Welch t test", () => {
  // R: t.test(extra ~ group, data = sleep)   (Welch, the default)
  //   t = -1.8608, df = 17.776, p-value = 0.07939
  //   95 percent confidence interval: -3.3654832  0.2054832
  const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

  it("reproduces R's sleep example", () => {
    const r = welchTTest(drug1, drug2);
    expect(r.difference).toBeCloseTo(-1.58, 12);
    expect(r.t).toBeCloseTo(-1.860813467, 8);
    expect(r.df).toBeCloseTo(17.776473516, 8);
    expect(r.pValue).toBeCloseTo(0.07939414019, 8);
    expect(r.ci[0]).toBeCloseTo(-3.365483231, 7);
    expect(r.ci[1]).toBeCloseTo(0.205483231, 7);
  });

  it("zero variance on both sides is decided without NaN", () => {
    expect(welchTTest([2, 2, 2], [2, 2]).pValue).toBe(1);
    expect(welchTTest([3, 3, 3], [2, 2]).pValue).toBe(0);
  });
});

describe("delta method", () => {
  // Users as (clicks, impressions). Control: (1,10) (0,5) (3,12) (2,8); treatment: (2,10) (1,6)
  // (4,11) (3,9) (0,4). By hand, control: R = 6/35, s_cc = 5/3, s_ii = 107/12, s_ci = 19/6,
  // ī = 35/4, Var(R) = (s_cc − 2R s_ci + R² s_ii) / (n ī²) = 0.0027526308; treatment: R = 1/4,
  // s_cc = 5/2, s_ii = 17/2, s_ci = 17/4, ī = 8, Var(R) = 0.0028320313.
  // Lift = (1/4)/(6/35) − 1 = 11/24; Var = v_T/C² + T² v_C/C⁴ → se = 0.5436638713,
  // 95% CI 11/24 ± 1.959964 · se = (−0.6072282741, 1.5238949407).
  const control = ratioEstimate(new Float64Array([1, 0, 3, 2]), new Float64Array([10, 5, 12, 8]));
  const treatment = ratioEstimate(new Float64Array([2, 1, 4, 3, 0]), new Float64Array([10, 6, 11, 9, 4]));

  it("ratio-of-sums variance over users", () => {
    expect(control.value).toBeCloseTo(6 / 35, 14);
    expect(control.variance).toBeCloseTo(0.002752630848, 11);
    expect(treatment.value).toBe(0.25);
    expect(treatment.variance).toBeCloseTo(0.00283203125, 12);
  });

  it("relative lift and its CI", () => {
    const { lift, se } = relativeLift(control, treatment);
    expect(lift).toBeCloseTo(11 / 24, 14);
    expect(se).toBeCloseTo(0.5436638713, 9);
    const z = normalQuantile(0.975);
    expect(lift - z * se).toBeCloseTo(-0.6072282741, 9);
    expect(lift + z * se).toBeCloseTo(1.5238949407, 9);
  });

  it("with a constant denominator it is the sample mean's variance", () => {
    const clicks = [3, 1, 4, 1, 5];
    const ratio = ratioEstimate(new Float64Array(clicks), new Float64Array(5).fill(10));
    const m = meanEstimate(clicks);
    expect(ratio.value).toBeCloseTo(m.value / 10, 14);
    expect(ratio.variance).toBeCloseTo(m.variance / 100, 14);
  });

  it("a control value of 0 has no relative lift", () => {
    expect(relativeLift({ value: 0, variance: 0, n: 3 }, treatment).lift).toBeNaN();
  });
});

describe("sample ratio mismatch", () => {
  // R: chisq.test(c(5100, 4900), p = c(0.5, 0.5)) → X-squared = 4, df = 1, p-value = 0.0455
  it("two arms, 50/50", () => {
    const r = sampleRatioCheck([5100, 4900], [0.5, 0.5]);
    expect(r.chiSquare).toBeCloseTo(4, 12);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeCloseTo(0.0455002639, 8);
    expect(r.mismatch).toBe(false);
  });

  // R: chisq.test(c(5150, 4850), p = c(0.5, 0.5)) → X-squared = 9, p-value = 0.0027 (not < 0.001);
  //    chisq.test(c(3420, 3280, 3300), p = rep(1/3, 3)) → X-squared = 3.44, df = 2, p = 0.1791
  it.each([
    [[5150, 4850], [1, 1], 9, 0.0026997961, false],
    [[3420, 3280, 3300], [1, 1, 1], 3.44, 0.1790661479, false],
    [[6060, 3940], [0.6, 0.4], 1.5, 0.2206713619, false],
    [[5300, 4700], [0.5, 0.5], 36, 1.9731752e-9, true],
  ])("chisq.test(%j, p = %j)", (observed, shares, chi, p, mismatch) => {
    const r = sampleRatioCheck(observed, shares);
    expect(r.chiSquare).toBeCloseTo(chi, 10);
    expect(r.pValue / p).toBeCloseTo(1, 6);
    expect(r.mismatch).toBe(mismatch);
  });

  it("no users is not a mismatch", () => {
    expect(sampleRatioCheck([0, 0], [0.5, 0.5])).toMatchObject({ chiSquare: 0, pValue: 1, mismatch: false });
  });
});

describe("power planner", () => {
  // R: power.prop.test(p1 = 0.50, p2 = 0.75, power = 0.90) → n = 76.7 (per group)
  //    power.prop.test(p1 = 0.10, p2 = 0.11, power = 0.80) → n = 14750.79
  //    power.prop.test(p1 = 0.05, p2 = 0.0525, power = 0.80, sig.level = 0.025) → n = 147892.3
  it.each([
    [0.5, 0.5, 0.9, 2, 77],
    [0.1, 0.1, 0.8, 2, 14751],
    [0.05, 0.05, 0.8, 3, 147893],
  ])("baseline %s, lift %s, power %s, %s arms → %s users per arm", (baselineRate, relativeLift, power, arms, users) => {
    const plan = requiredUsersPerArm({ baselineRate, relativeLift, power, arms });
    expect(plan.usersPerArm).toBe(users);
    expect(plan.totalUsers).toBe(users * arms);
    expect(plan.alphaPerComparison).toBeCloseTo(0.05 / (arms - 1), 15);
  });

  it("the MDE inverts the sample size", () => {
    const mde = minimumDetectableLift({ baselineRate: 0.1, usersPerArm: 14750.790469 });
    expect(mde?.relativeLift).toBeCloseTo(0.1, 6);
    expect(mde?.absoluteLift).toBeCloseTo(0.01, 7);
    expect(minimumDetectableLift({ baselineRate: 0.1, usersPerArm: 2 })).toBeNull();
  });

  it("refuses unreachable plans with a reason", () => {
    expect(() => requiredUsersPerArm({ baselineRate: 0.6, relativeLift: 1 })).toThrow(/outside \(0, 1\)/);
    expect(() => requiredUsersPerArm({ baselineRate: 0.1, relativeLift: 0 })).toThrow(/lift of 0/);
  });
});

describe("anytime-valid intervals (mSPRT)", () => {
  it("closed form at V = τ²: half-width √(2τ² (2 ln(1/α) + ln 2))", () => {
    const [lo, hi] = alwaysValidInterval(0.3, 0.01, 0.05, 0.1);
    const half = Math.sqrt(2 * 0.01 * (2 * Math.log(20) + Math.log(2)));
    expect(hi - 0.3).toBeCloseTo(half, 14);
    expect(0.3 - lo).toBeCloseTo(half, 14);
    // The p-value is 1/Λ: at the interval's edge Λ = 1/α exactly.
    expect(mixtureSprtPValue(hi, 0.01, 0.1, 0.3)).toBeCloseTo(0.05, 12);
  });

  it("peeking 50 times: the fixed 95% CI wrongly excludes 0 in many runs, the always-valid one in at most 5%", () => {
    const rng = new Rng(11);
    const runs = 200;
    let fixedErrors = 0;
    let validErrors = 0;
    for (let run = 0; run < runs; run++) {
      let sumA = 0;
      let sumB = 0;
      let n = 0;
      let fixedWrong = false;
      let validWrong = false;
      for (let look = 0; look < 50; look++) {
        for (let i = 0; i < 100; i++, n++) {
          sumA += rng.normal();
          sumB += rng.normal();
        }
        const diff = sumB / n - sumA / n;
        const variance = 2 / n;
        if (Math.abs(diff) > 1.959964 * Math.sqrt(variance)) fixedWrong = true;
        const [lo, hi] = alwaysValidInterval(diff, variance, 0.05, 0.1);
        if (lo > 0 || hi < 0) validWrong = true;
      }
      if (fixedWrong) fixedErrors++;
      if (validWrong) validErrors++;
    }
    expect(fixedErrors / runs).toBeGreaterThan(0.15);
    expect(validErrors / runs).toBeLessThanOrEqual(0.05);
  });
});

describe("planner input schemas", () => {
  it("fill defaults and refuse impossible plans before any arithmetic", () => {
    expect(sampleSizeInputSchema.parse({ baselineRate: 0.1, relativeLift: 0.1 })).toEqual({ baselineRate: 0.1, relativeLift: 0.1, alpha: 0.05, power: 0.8, arms: 2 });
    const refused = sampleSizeInputSchema.safeParse({ baselineRate: 0.6, relativeLift: 1 });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ["relativeLift"], message: "the lift takes the rate to 1 or above" });
    expect(sampleSizeInputSchema.safeParse({ baselineRate: 0.1, relativeLift: 0 }).success).toBe(false);
    expect(mdeInputSchema.safeParse({ baselineRate: 0.1, usersPerArm: 1.5 }).success).toBe(false);
    expect(mdeInputSchema.parse({ baselineRate: 0.1, usersPerArm: 5000, arms: 3 }).arms).toBe(3);
  });
});
