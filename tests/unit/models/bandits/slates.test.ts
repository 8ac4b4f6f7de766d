import { describe, expect, it } from "vitest";
import { banditOnFeatures } from "@/lib/models/bandits";
import { ContextFeatures } from "@/lib/models/bandits/item-features";
import { LinUcbPolicy } from "@/lib/models/bandits/linear";
import { runOnline } from "@/lib/models/bandits/online-loop";
import { RandomPolicy } from "@/lib/models/bandits/random-policy";
import { RidgeRegression } from "@/lib/models/bandits/ridge";
import { exploreSlots, topItems } from "@/lib/models/bandits/slate";
import { syntheticWorld } from "@/lib/models/bandits/synthetic";
import type { Slate, SlatePolicy, SlotOutcome, Visit } from "@/lib/simulation/types";
import { Rng } from "@/lib/util/rng";

const visit = (history: number[]): Visit => ({ user: 0, visitor: 0, session: 0, history: Int32Array.from(history) });

describe("slate construction", () => {
  it("takes the K best unexcluded items, best first, ties to the lower index", () => {
    const excluded = Uint8Array.of(0, 1, 0, 0, 0);
    expect(Array.from(topItems(Float64Array.of(0.5, 0.9, 0.7, 0.5, 0.1), excluded, 3))).toEqual([2, 0, 3]);
  });

  it("ε-slot exploration logs propensities that match the empirical position frequencies", () => {
    // 10 items, item 0 excluded, greedy slate [1, 2, 3]: the pool outside it has M = 6 items.
    const excluded = new Uint8Array(10);
    excluded[0] = 1;
    const greedy = Int32Array.of(1, 2, 3);
    const rng = new Rng(3);
    const n = 60_000, epsilon = 0.3;
    const counts = new Map<string, number>();
    const logged = new Map<string, number>();
    let invalid = 0;
    for (let t = 0; t < n; t++) {
      const slate = exploreSlots(greedy, excluded, epsilon, rng);
      if (new Set(slate.items).size !== 3 || slate.items.includes(0)) invalid++;
      slate.items.forEach((item, k) => {
        counts.set(`${k}:${item}`, (counts.get(`${k}:${item}`) ?? 0) + 1);
        logged.set(`${k}:${item}`, slate.propensities![k]);
      });
    }
    expect(invalid).toBe(0);
    expect(logged.get("0:1")).toBeCloseTo(0.7, 12);
    expect(logged.get("2:9")).toBeCloseTo(0.3 / 6, 12);
    for (const [key, count] of counts) expect(count / n, key).toBeCloseTo(logged.get(key)!, 2);
  });

  it("the random policy shows K distinct unseen items with propensity 1/M", () => {
    const slate = new RandomPolicy(8, 1).recommend(visit([0, 5]), 4);
    expect(new Set(slate.items).size).toBe(4);
    expect(slate.items.some((i) => i === 0 || i === 5)).toBe(false);
    expect(Array.from(slate.propensities!)).toEqual([1 / 6, 1 / 6, 1 / 6, 1 / 6]);
  });
});

/** Records every (φ, reward) a LinUCB policy learns from into a separate, unfolded ridge. */
function shadowed(policy: SlatePolicy, context: ContextFeatures, ridge: RidgeRegression): SlatePolicy {
  const phi = new Float64Array(context.length);
  return {
    recommend: (v, k) => policy.recommend(v, k),
    observe(v: Visit, slate: Slate, outcomes: readonly SlotOutcome[]) {
      context.setHistory(v.history);
      outcomes.forEach((o, k) => o.examined && ridge.update(context.fill(slate.items[k], phi), o.clicked ? 1 : 0));
      policy.observe!(v, slate, outcomes);
    },
  };
}

describe("LinUCB", () => {
  it("scores θ̂·φ + α√(φᵀA⁻¹φ) over the full feature map exactly as its folded d + 2 form does", () => {
    const world = syntheticWorld({ seed: 9 });
    const alpha = 0.8;
    const policy = new LinUcbPolicy({ features: world.features, lambda: 1, historyWindow: 20, seed: 9 }, alpha);
    const context = new ContextFeatures(world.features, 20);
    const ridge = new RidgeRegression(context.length, 1);
    runOnline(world.env, shadowed(policy, context, ridge), { visits: 300, slateSize: 5, seed: 9, histories: world.histories, growHistory: false });

    const history = world.histories.indices.slice(world.histories.indptr[3], world.histories.indptr[4]);
    context.setHistory(history);
    const theta = ridge.mean(new Float64Array(context.length));
    const phi = new Float64Array(context.length);
    const ucb = new Float64Array(world.env.numItems);
    for (let item = 0; item < ucb.length; item++) {
      context.fill(item, phi);
      let mean = 0, width = 0;
      for (let i = 0; i < phi.length; i++) {
        mean += theta[i] * phi[i];
        for (let j = 0; j < phi.length; j++) width += phi[i] * ridge.aInv[i * phi.length + j] * phi[j];
      }
      ucb[item] = mean + alpha * Math.sqrt(width);
    }
    const excluded = new Uint8Array(world.env.numItems);
    for (const item of history) excluded[item] = 1;
    expect(Array.from(policy.recommend({ user: 3, visitor: 3, session: 0, history }, 10).items)).toEqual(Array.from(topItems(ucb, excluded, 10)));
  });
});

describe("ε-greedy", () => {
  it("learns: collects more expected clicks than random on every seed, and replays identically", async () => {
    for (const seed of [1, 2, 3]) {
      const world = syntheticWorld({ seed });
      const options = { visits: 2000, slateSize: 5, seed, histories: world.histories, growHistory: false };
      const greedy = runOnline(world.env, await banditOnFeatures("epsilon-greedy", {}, world.features, seed), options);
      const random = runOnline(world.env, new RandomPolicy(world.env.numItems, seed), options);
      expect(greedy.expected[1999]).toBeGreaterThan(1.3 * random.expected[1999]);
      if (seed === 1) {
        const again = runOnline(world.env, await banditOnFeatures("epsilon-greedy", {}, world.features, seed), options);
        expect(Array.from(again.clicks)).toEqual(Array.from(greedy.clicks));
      }
    }
  });

  it("with ε = 0 and a popularity prior shows the most popular unseen items first", async () => {
    const world = syntheticWorld({ seed: 4 });
    const policy = await banditOnFeatures("epsilon-greedy", { epsilon: 0, prior: "popularity" }, world.features, 4);
    const slate = policy.recommend(visit([]), 3);
    const pop = Float64Array.from(world.features.popularity);
    expect(Array.from(slate.items)).toEqual(Array.from(topItems(pop, new Uint8Array(pop.length), 3)));
    expect(Array.from(slate.propensities!)).toEqual([1, 1, 1]);
  });
});
