import { describe, expect, it } from "vitest";
import { numpyUniforms } from "@/lib/util/numpy-random";

// Printed by NumPy 2 on this machine: np.random.default_rng(seed).random(n), repr'd in full.
const NUMPY = {
  42: [0.7739560485559633, 0.4388784397520523, 0.8585979199113825, 0.6973680290593639, 0.09417734788764953],
  0: [0.6369616873214543, 0.2697867137638703, 0.04097352393619469],
  // A seed wider than 32 bits takes SeedSequence's two-word entropy path.
  [2 ** 40 + 7]: [0.829812891829413, 0.25530515834910417, 0.15379071585298754],
};

describe("numpyUniforms (SeedSequence + PCG64 + random())", () => {
  it.each(Object.entries(NUMPY))("reproduces NumPy's doubles bit for bit for seed %s", (seed, expected) => {
    expect(Array.from(numpyUniforms(Number(seed), expected.length))).toEqual(expected);
  });

  it("refuses seeds NumPy refuses", () => {
    expect(() => numpyUniforms(-1, 1)).toThrow("non-negative");
    expect(() => numpyUniforms(1.5, 1)).toThrow("non-negative");
  });
});
