import { describe, expect, it } from "vitest";
import { simulatorConfigSchema } from "@/lib/simulation/environment";
import { examinationCurve, returnProbability, simulateSlate } from "@/lib/simulation/user-model";
import { Rng } from "@/lib/util/rng";

const config = simulatorConfigSchema.parse({});
/** Within 4 standard errors of a rate estimated from n Bernoulli draws. */
const expectRate = (observed: number, p: number, n: number) => expect(Math.abs(observed - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n) + 1e-12);

describe("examination", () => {
  it("exam(k) = 1 / k^η for 1-based slots", () => {
    expect(Array.from(examinationCurve(1, 4))).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
    expect(Array.from(examinationCurve(2, 3))).toEqual([1, 1 / 4, 1 / 9]);
    expect(Array.from(examinationCurve(0, 2))).toEqual([1, 1]);
  });

  it("position-based: each slot's examination rate matches exam(k); attraction 1 clicks every examined slot", () => {
    const exam = examinationCurve(1, 4);
    const rng = new Rng(5);
    const examined = new Float64Array(4);
    let mismatches = 0;
    const n = 40_000;
    for (let t = 0; t < n; t++) {
      simulateSlate(config, Float64Array.of(1, 1, 1, 1), exam, rng).forEach((o, k) => {
        examined[k] += o.examined ? 1 : 0;
        if (o.clicked !== o.examined) mismatches++;
      });
    }
    expect(mismatches).toBe(0);
    for (let k = 0; k < 4; k++) expectRate(examined[k] / n, exam[k], n);
  });

  it("cascade: stops after the first click, and without clicks examines slot k with exam(k)", () => {
    const exam = examinationCurve(1, 4);
    const cascade = { ...config, examination: "cascade" as const };
    const rng = new Rng(6);
    const always = simulateSlate(cascade, Float64Array.of(1, 1, 1, 1), exam, rng);
    expect(always.map((o) => o.examined)).toEqual([true, false, false, false]);
    const examined = new Float64Array(4);
    const n = 40_000;
    for (let t = 0; t < n; t++) simulateSlate(cascade, Float64Array.of(0, 0, 0, 0), exam, rng).forEach((o, k) => (examined[k] += o.examined ? 1 : 0));
    for (let k = 0; k < 4; k++) expectRate(examined[k] / n, exam[k], n);
  });

  it("dwell is log-normal with a log-mean growing with attraction; no click, no dwell or conversion", () => {
    const rng = new Rng(7);
    const exam = Float64Array.of(1);
    const logs = (a: number) => {
      const out: number[] = [];
      while (out.length < 20_000) {
        const [o] = simulateSlate(config, Float64Array.of(a), exam, rng);
        if (o.clicked) out.push(Math.log(o.dwellSeconds));
        else if (o.dwellSeconds !== 0 || o.converted) throw new Error("dwell or conversion without a click");
      }
      return out.reduce((s, x) => s + x, 0) / out.length;
    };
    // μ = 3 + 2 · a (defaults): 3.2 at a = 0.1, 4.6 at a = 0.8; σ = 0.8, so the mean of 20,000 has SE 0.006.
    expect(Math.abs(logs(0.1) - 3.2)).toBeLessThan(0.03);
    expect(Math.abs(logs(0.8) - 4.6)).toBeLessThan(0.03);
  });
});

describe("return model", () => {
  it("P(return) = σ(bias + perClick · clicks + perMinute · minutes)", () => {
    expect(returnProbability(config, 0, 0)).toBeCloseTo(1 / (1 + Math.exp(0.5)), 12);
    expect(returnProbability(config, 2, 120)).toBeCloseTo(1 / (1 + Math.exp(-(-0.5 + 1.2 + 0.2))), 12);
    expect(returnProbability(config, 3, 0)).toBeGreaterThan(returnProbability(config, 1, 0));
  });
});
