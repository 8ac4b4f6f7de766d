import { describe, expect, it } from "vitest";
import { bootstrapMeanCi, quantile } from "@/lib/stats/bootstrap";
import { Rng } from "@/lib/util/rng";

describe("bootstrap percentile interval of the mean", () => {
  it("covers the true mean at about the nominal 95% over 400 synthetic samples", () => {
    const rng = new Rng(2024);
    const trueMean = 0.3;
    const replications = 400;
    let covered = 0;
    for (let r = 0; r < replications; r++) {
      const sample = Float64Array.from({ length: 60 }, () => trueMean + 0.2 * rng.normal());
      const ci = bootstrapMeanCi(sample, { resamples: 1000, seed: r });
      if (ci.low <= trueMean && trueMean <= ci.high) covered++;
    }
    const coverage = covered / replications;
    // Binomial sd at 95% over 400 draws is 1.1%; the percentile method runs slightly narrow at n = 60.
    expect(coverage).toBeGreaterThan(0.91);
    expect(coverage).toBeLessThan(0.98);
  });

  it("is seeded, brackets the estimate and narrows with more data", () => {
    const rng = new Rng(3);
    const small = Float64Array.from({ length: 30 }, () => rng.normal());
    const large = Float64Array.from({ length: 3000 }, () => rng.normal());
    const a = bootstrapMeanCi(small, { seed: 9 });
    expect(bootstrapMeanCi(small, { seed: 9 })).toEqual(a);
    expect(a.low).toBeLessThan(a.estimate);
    expect(a.high).toBeGreaterThan(a.estimate);
    const b = bootstrapMeanCi(large, { seed: 9 });
    expect(b.high - b.low).toBeLessThan((a.high - a.low) / 5);
  });

  it("quantile interpolates like R type 7", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });
});
