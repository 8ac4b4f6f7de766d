import { describe, expect, it } from "vitest";
import { mae, mse, rmse } from "@/lib/metrics/rating";

describe("rating metrics", () => {
  const cases = [
    // errors -1, 0, +2
    { label: "mixed errors", predicted: [3, 4, 5], actual: [4, 4, 3], mae: 1, mse: 5 / 3 },
    { label: "perfect", predicted: [1, 2.5], actual: [1, 2.5], mae: 0, mse: 0 },
    { label: "single row", predicted: [4.5], actual: [2], mae: 2.5, mse: 6.25 },
  ];
  for (const c of cases) {
    it(c.label, () => {
      const p = Float32Array.from(c.predicted);
      const a = Float32Array.from(c.actual);
      expect(mae(p, a)).toBeCloseTo(c.mae, 12);
      expect(mse(p, a)).toBeCloseTo(c.mse, 12);
      expect(rmse(p, a)).toBeCloseTo(Math.sqrt(c.mse), 12);
    });
  }
  it("gives NaN without rows and rejects unpaired arrays", () => {
    expect(mae(new Float32Array(0), new Float32Array(0))).toBeNaN();
    expect(rmse(new Float32Array(0), new Float32Array(0))).toBeNaN();
    expect(() => mse(new Float32Array(2), new Float32Array(3))).toThrow(/2 predictions for 3 ratings/);
  });
});
