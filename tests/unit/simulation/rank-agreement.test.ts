import { describe, expect, it } from "vitest";
import { orderAgreement } from "@/lib/simulation/rank-agreement";

describe("orderAgreement", () => {
  it.each([
    { label: "identical orderings", a: [4, 3, 2, 1], b: [0.4, 0.3, 0.2, 0.1], agree: 4 },
    { label: "one adjacent swap", a: [4, 3, 2, 1], b: [0.4, 0.2, 0.3, 0.1], agree: 3 },
    { label: "one model moved from first to last", a: [4, 3, 2, 1], b: [0.1, 0.4, 0.3, 0.2], agree: 3 },
    { label: "two swaps", a: [4, 3, 2, 1], b: [0.3, 0.4, 0.1, 0.2], agree: 2 },
    { label: "reversed", a: [4, 3, 2, 1], b: [1, 2, 3, 4], agree: 1 },
  ])("$label: $agree of 4", ({ a, b, agree }) => {
    expect(orderAgreement(a, b)).toBe(agree);
  });

  it("refuses orderings of different lengths", () => {
    expect(() => orderAgreement([1, 2], [1])).toThrow(/2 values against 1/);
  });
});
