import { describe, expect, it } from "vitest";
import { Rng } from "@/lib/util/rng";

describe("Rng", () => {
  it("gives the same stream for the same seed and a different one for another seed", () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });
  it("draws integers uniformly in range", () => {
    const rng = new Rng(1);
    const counts = new Array(4).fill(0);
    for (let i = 0; i < 40_000; i++) counts[rng.int(4)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});
