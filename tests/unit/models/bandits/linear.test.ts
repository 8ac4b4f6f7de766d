import { describe, expect, it } from "vitest";
import { banditOnFeatures } from "@/lib/models/bandits";
import { runOnline, regretSlopes, type OnlineCurve } from "@/lib/models/bandits/online-loop";
import { RandomPolicy } from "@/lib/models/bandits/random-policy";
import { RidgeRegression } from "@/lib/models/bandits/ridge";
import { syntheticWorld } from "@/lib/models/bandits/synthetic";

const SEEDS = [1, 2, 3, 4, 5];
const VISITS = 2000;

async function run(kind: "linucb" | "thompson" | "random", seed: number): Promise<OnlineCurve> {
  const world = syntheticWorld({ seed });
  const policy = kind === "random" ? new RandomPolicy(world.env.numItems, seed) : await banditOnFeatures(kind, {}, world.features, seed);
  return runOnline(world.env, policy, { visits: VISITS, slateSize: 5, seed, histories: world.histories, growHistory: false });
}

describe("RidgeRegression", () => {
  it("matches the closed-form ridge solution and keeps A⁻¹ the inverse of A", () => {
    // λ = 1, φ = [1, 0] with r = 1 and φ = [1, 1] with r = 0: A = [[3, 1], [1, 2]], b = [1, 0],
    // θ̂ = A⁻¹ b = (1/5)[[2, −1], [−1, 3]] [1, 0] = [0.4, −0.2].
    const ridge = new RidgeRegression(2, 1);
    ridge.update(Float64Array.of(1, 0), 1);
    ridge.update(Float64Array.of(1, 1), 0);
    expect(Array.from(ridge.a)).toEqual([3, 1, 1, 2]);
    const theta = ridge.mean(new Float64Array(2));
    expect(theta[0]).toBeCloseTo(0.4, 12);
    expect(theta[1]).toBeCloseTo(-0.2, 12);
    expect(Array.from(ridge.aInv).map((v) => v * 5)).toEqual([2, -1, -1, 3].map((v) => expect.closeTo(v, 12)));
  });

  it("draws posterior samples with mean θ̂ and covariance scale² A⁻¹", () => {
    const ridge = new RidgeRegression(2, 1);
    ridge.update(Float64Array.of(1, 0), 1);
    ridge.update(Float64Array.of(1, 1), 0);
    let seed = 7;
    const rng = () => {
      // Box-Muller over a tiny LCG keeps the test self-contained.
      const u = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) + 1) / 4294967297;
      return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    };
    const n = 40_000, out = new Float64Array(2);
    let m0 = 0, m1 = 0, c00 = 0, c01 = 0, c11 = 0;
    for (let i = 0; i < n; i++) {
      ridge.sample(2, rng, out);
      m0 += out[0];
      m1 += out[1];
      c00 += (out[0] - 0.4) ** 2;
      c01 += (out[0] - 0.4) * (out[1] + 0.2);
      c11 += (out[1] + 0.2) ** 2;
    }
    expect(m0 / n).toBeCloseTo(0.4, 1);
    expect(m1 / n).toBeCloseTo(-0.2, 1);
    // scale² A⁻¹ = 4 · (1/5)[[2, −1], [−1, 3]] = [[1.6, −0.8], [−0.8, 2.4]].
    expect(c00 / n).toBeCloseTo(1.6, 1);
    expect(c01 / n).toBeCloseTo(-0.8, 1);
    expect(c11 / n).toBeCloseTo(2.4, 1);
  });
});

describe.each(["linucb", "thompson"] as const)("%s on the synthetic linear environment", (kind) => {
  it("has sub-linear regret: last-quarter slope below half the first-quarter slope on each of 5 seeds", async () => {
    for (const seed of SEEDS) {
      const { first, last } = regretSlopes((await run(kind, seed)).regret);
      expect(last, `seed ${seed}: first ${first}, last ${last}`).toBeLessThan(first / 2);
    }
  });

  it("collects far more expected clicks than a random policy and is deterministic for a seed", async () => {
    const a = await run(kind, 1);
    const b = await run(kind, 1);
    expect(Array.from(b.regret)).toEqual(Array.from(a.regret));
    const random = await run("random", 1);
    expect(a.expected[VISITS - 1]).toBeGreaterThan(2 * random.expected[VISITS - 1]);
    // Same users in the same order: the oracle's value does not depend on the policy.
    expect(a.oracle[VISITS - 1]).toBeCloseTo(random.oracle[VISITS - 1], 9);
  });
});
