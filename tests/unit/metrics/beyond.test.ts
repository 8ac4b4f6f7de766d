import { describe, expect, it } from "vitest";
import { catalogueCoverage } from "@/lib/metrics/beyond";

describe("catalogue coverage", () => {
  const lists = [Int32Array.from([0, 1, 2]), Int32Array.from([2, 3])];
  const cases = [
    { label: "K = 1: items 0 and 2", k: 1, expected: 2 / 6 },
    { label: "K = 2: items 0..3", k: 2, expected: 4 / 6 },
    { label: "K longer than every list", k: 5, expected: 4 / 6 },
  ];
  for (const c of cases) {
    it(c.label, () => expect(catalogueCoverage(lists, 6, c.k)).toBeCloseTo(c.expected, 12));
  }
  it("is 0 without lists", () => expect(catalogueCoverage([], 6, 10)).toBe(0));
});
