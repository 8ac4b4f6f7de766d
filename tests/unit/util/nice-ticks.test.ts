import { describe, expect, it } from "vitest";
import { formatTick, niceStep, niceTicks } from "@/lib/util/nice-ticks";

describe("niceTicks", () => {
  const cases: [string, number, number, number, number[]][] = [
    ["metric range that gave 0.17, 0.255, 0.34", 0, 0.34, 5, [0, 0.1, 0.2, 0.3, 0.4]],
    ["narrow range near 152", 151.3, 152.4, 5, [151, 151.5, 152, 152.5]],
    ["NDCG-like", 0.183, 0.412, 5, [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]],
    ["negative deltas", -0.1019, 0.02, 5, [-0.15, -0.1, -0.05, 0, 0.05]],
    ["counts", 0, 9876, 5, [0, 2000, 4000, 6000, 8000, 10000]],
    ["one value", 0.5, 0.5, 5, [0.45, 0.5, 0.55]],
    ["reversed bounds", 10, 0, 2, [0, 5, 10]],
  ];
  it.each(cases)("%s", (_label, lo, hi, count, expected) => {
    const { ticks, domain } = niceTicks(lo, hi, count);
    expect(ticks).toEqual(expected);
    expect(domain).toEqual([expected[0], expected[expected.length - 1]]);
  });

  it("steps are 1, 2 or 5 times a power of ten", () => {
    for (const span of [0.0007, 0.03, 0.34, 1, 7, 152, 9876, 3e6]) {
      const step = niceStep(span, 5);
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-9), `${span} -> ${step}`).toBe(true);
    }
  });

  it("labels distinct ticks distinctly", () => {
    const { ticks, step } = niceTicks(151.3, 152.4);
    const labels = ticks.map((t) => formatTick(t, step));
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual(["151.0", "151.5", "152.0", "152.5"]);
    expect(niceTicks(0, 0.34).ticks.map((t) => formatTick(t, 0.1))).toEqual(["0.0", "0.1", "0.2", "0.3", "0.4"]);
  });

  it("gives no ticks for non-finite bounds", () => {
    expect(niceTicks(Number.NaN, 1).ticks).toEqual([]);
  });
});
