import { beforeAll, describe, expect, it } from "vitest";
import { simulateAbTest, type AbArmSpec } from "@/lib/simulation/ab-engine";
import { buildEnvironment, simulatorConfigSchema, type SimulationEnvironment } from "@/lib/simulation/environment";
import { oraclePolicy, randomPolicy } from "@/lib/simulation/policies";
import { clusteredData, sum } from "./fixtures";

const data = clusteredData();
// A tiny catalogue: a user's cluster is a quarter of it, so their best items sit only ~1.7 sd
// above their mean score; a steeper attraction slope than the default (0.8, calibrated on
// MovieLens) gives the toy users clear preferences (best items ≈ 25% attraction).
const envWith = (config: Record<string, unknown> = {}) => buildEnvironment(data, simulatorConfigSchema.parse({ attractionScale: 1.5, ...config }), 1);
let env: SimulationEnvironment;
beforeAll(async () => {
  env = await envWith();
});

const ctr = (t: { clicks: Float64Array; impressions: Float64Array }) => sum(t.clicks) / sum(t.impressions);
const returnRate = (t: { returned: Uint8Array }) => sum(t.returned) / t.returned.length;
const arms = (): AbArmSpec[] => [
  { armId: "oracle", label: "Oracle", policy: oraclePolicy(env) },
  { armId: "random", label: "Random", policy: randomPolicy(env.numItems, 2) },
];

describe("simulateAbTest", () => {
  it("doubling the position-bias decay lowers CTR at positions 6–10 and leaves position 1 unchanged", async () => {
    const run = async (positionDecay: number) => {
      const e = await envWith({ positionDecay });
      return simulateAbTest(e, [{ armId: "oracle", label: "Oracle", policy: oraclePolicy(e) }], { users: 8000, sessionsPerUser: 1, slateSize: 10, ratio: [1], seed: 4 });
    };
    const [once, twice] = [await run(1), await run(2)];
    const [a, b] = [once.positionCtr[0], twice.positionCtr[0]];
    // Slot 1 is always examined and every slot draws the same random numbers: its clicks are identical.
    expect(b[0]).toBe(a[0]);
    expect(a[0]).toBeGreaterThan(0.1);
    for (let p = 5; p < 10; p++) expect(b[p], `position ${p + 1}`).toBeLessThan(0.5 * a[p]);
  });

  it("is seeded: the same seed gives the same result, another seed another one", async () => {
    const options = { users: 600, sessionsPerUser: 3, slateSize: 5, ratio: [1, 1], seed: 11 };
    const first = await simulateAbTest(env, arms(), options);
    expect(await simulateAbTest(env, arms(), options)).toEqual(first);
    const other = await simulateAbTest(env, arms(), { ...options, seed: 12 });
    expect(other.totals[0].clicks).not.toEqual(first.totals[0].clicks);
  });

  it("users shown their best items come back more often than users shown random items", async () => {
    const r = await simulateAbTest(env, arms(), { users: 6000, sessionsPerUser: 5, slateSize: 5, ratio: [1, 1], seed: 5 });
    const [oracle, random] = r.totals;
    expect(ctr(oracle)).toBeGreaterThan(3 * ctr(random));
    // Rates of ~3,000 users each (≈ 0.39 vs 0.45): the SE of the gap is ≈ 0.013.
    expect(returnRate(oracle) - returnRate(random)).toBeGreaterThan(0.03);
    expect(sum(oracle.visits) / oracle.visits.length).toBeGreaterThan(sum(random.visits) / random.visits.length);
  });

  it("assigns users in the given ratio and logs per-user totals, coverage and position CTR", async () => {
    const r = await simulateAbTest(env, arms(), { users: 4000, sessionsPerUser: 2, slateSize: 4, ratio: [3, 1], seed: 6 });
    expect(r.ratio).toEqual([0.75, 0.25]);
    const [oracle, random] = r.totals;
    expect(oracle.visits.length + random.visits.length).toBe(4000);
    expect(Math.abs(oracle.visits.length / 4000 - 0.75)).toBeLessThan(4 * Math.sqrt((0.75 * 0.25) / 4000));
    for (const t of r.totals) {
      expect(sum(t.impressions)).toBe(4 * sum(t.visits));
      for (let i = 0; i < t.visits.length; i++) {
        if (t.visits[i] < 1 || t.visits[i] > 2 || t.clicks[i] > t.impressions[i] || t.conversions[i] > t.clicks[i]) throw new Error(`bad totals for user ${i}`);
        if (t.visits[i] === 2 && !t.returned[i]) throw new Error(`user ${i} visited twice without returning`);
      }
      expect(t.catalogueSize).toBe(data.numItems);
    }
    expect(random.distinctItemsShown).toBe(data.numItems);
    expect(oracle.distinctItemsShown).toBeLessThan(data.numItems);
    expect(r.positionCtr[0]).toHaveLength(4);
    expect(r.positionCtr[0][0]).toBeGreaterThan(r.positionCtr[0][3]);
  });

  it("estimates a deterministic arm's CTR off-policy from a stochastic arm's logs", async () => {
    // Random logging (propensity 1 / pool) is unbiased for any target; the oracle's expected CTR on the logged visits is the reference.
    const r = await simulateAbTest(env, arms(), { users: 6000, sessionsPerUser: 1, slateSize: 3, ratio: [1, 1], seed: 8 });
    const fromRandom = r.ope.filter((e) => e.loggingArmId === "random");
    expect(fromRandom.map((e) => e.estimator)).toEqual(["IPS", "SNIPS", "DM", "DR"]);
    expect(r.ope.filter((e) => e.loggingArmId === "oracle")).toEqual([]); // the oracle logs no propensities
    const truth = ctr(r.totals[0]);
    for (const e of fromRandom) {
      expect(e.targetArmId).toBe("oracle");
      expect(e.truth).toBeCloseTo(truth, 12);
      expect(e.expected!).toBeGreaterThan(0);
      // Uniform logging covers every target slate: the mean weight is 1 in expectation (SE ≈ 0.08 here).
      expect(Math.abs(e.support! - 1)).toBeLessThan(0.35);
    }
    const snips = fromRandom.find((e) => e.estimator === "SNIPS")!;
    expect(snips.ci[0]).toBeLessThan(snips.expected!);
    expect(snips.ci[1]).toBeGreaterThan(snips.expected!);
  });

  it("reports progress, yields, and stops on abort", async () => {
    const seen: number[] = [];
    await simulateAbTest(env, arms(), { users: 200, sessionsPerUser: 2, slateSize: 3, ratio: [1, 1], seed: 1 }, { onProgress: (done, total) => void seen.push(done / total) });
    expect(seen.at(-1)).toBe(1);
    // A policy taking 5 ms per visit: the engine yields (and reports) every ~100 ms; aborting then stops it.
    let visits = 0;
    const slow = {
      armId: "slow",
      label: "Slow",
      policy: {
        recommend: (_v: unknown, k: number) => {
          visits++;
          const t = performance.now();
          while (performance.now() - t < 5);
          return { items: Int32Array.from({ length: k }, (_, j) => j) };
        },
      },
    };
    const controller = new AbortController();
    const run = simulateAbTest(env, [slow], { users: 400, sessionsPerUser: 1, slateSize: 3, ratio: [1], seed: 1 }, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toThrow(/abort/i);
    expect(visits).toBeGreaterThan(0);
    expect(visits).toBeLessThan(400);
  });

  it("refuses bad options", async () => {
    await expect(simulateAbTest(env, arms(), { users: 0, sessionsPerUser: 1, slateSize: 3, ratio: [1, 1], seed: 1 })).rejects.toThrow(/users must be a positive integer/);
    await expect(simulateAbTest(env, arms(), { users: 10, sessionsPerUser: 1, slateSize: 3, ratio: [1], seed: 1 })).rejects.toThrow(/ratio has 1 weights for 2 arms/);
    await expect(simulateAbTest(env, arms(), { users: 10, sessionsPerUser: 1, slateSize: 3, ratio: [-1, 2], seed: 1 })).rejects.toThrow(/non-negative/);
    const broken = { armId: "broken", label: "Broken", policy: { recommend: () => ({ items: Int32Array.of(0, 1, 999) }) } };
    await expect(simulateAbTest(env, [broken], { users: 10, sessionsPerUser: 1, slateSize: 3, ratio: [1], seed: 1 })).rejects.toThrow(/arm broken returned item 999/);
    await expect(simulateAbTest(env, [broken], { users: 10, sessionsPerUser: 1, slateSize: 2, ratio: [1], seed: 1 })).rejects.toThrow(/3 items for a 2-slot slate/);
  });
});
