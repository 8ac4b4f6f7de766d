import { describe, expect, it } from "vitest";
import { buildCsr } from "@/lib/datasets/csr";
import { AppError } from "@/lib/errors";
import { cosine } from "@/lib/fairness/explain/shared";
import { BANDIT_KINDS, banditParamsSchemas, createBanditPolicy } from "@/lib/models/bandits";
import { learnItemFeatures } from "@/lib/models/bandits/item-features";
import { runOnline, type GroundTruth } from "@/lib/models/bandits/online-loop";
import { Rng } from "@/lib/util/rng";

/**
 * Three taste groups of 20 users and 20 items each: every user's training history is 8 random
 * items of their own group. Clicks follow the groups too (0.5 inside, 0.05 outside).
 */
function blockWorld(seed: number) {
  const groups = 3, size = 20, historyLength = 8;
  const rng = new Rng(seed);
  const rows: number[] = [], cols: number[] = [];
  for (let u = 0; u < groups * size; u++) {
    const g = Math.floor(u / size);
    const own = rng.shuffle(Int32Array.from({ length: size }, (_, i) => g * size + i));
    for (const item of own.subarray(0, historyLength)) {
      rows.push(u);
      cols.push(item);
    }
  }
  const n = groups * size;
  const train = buildCsr(n, n, Int32Array.from(rows), Int32Array.from(cols));
  const env: GroundTruth = {
    numUsers: n,
    numItems: n,
    attraction: (user, items) => Float64Array.from(items, (item) => (Math.floor(item / size) === Math.floor(user / size) ? 0.5 : 0.05)),
    examination: (k) => Float64Array.from({ length: k }, (_, i) => 1 / (i + 1)),
  };
  return { train, env, size };
}

describe("item features from the training matrix", () => {
  const { train } = blockWorld(1);

  it("places co-consumed items together, scaled to mean squared norm 1, the same for a seed", () => {
    const features = learnItemFeatures(train, 60, { dim: 8, seed: 5 });
    let sq = 0;
    for (const v of features.vectors) sq += v * v;
    expect(sq / 60).toBeCloseTo(1, 5);
    let within = 0, across = 0;
    for (let a = 0; a < 20; a++) {
      within += cosine(features, a, (a + 1) % 20);
      across += cosine(features, a, 20 + a);
    }
    expect(within / 20).toBeGreaterThan(0.8);
    expect(across / 20).toBeLessThan(0.3);
    expect(Array.from(learnItemFeatures(train, 60, { dim: 8, seed: 5 }).vectors)).toEqual(Array.from(features.vectors));
  });
});

describe("createBanditPolicy", () => {
  const { train, env } = blockWorld(2);
  const context = { numItems: 60, numUsers: 60, train, seed: 3 };

  it("documents every parameter with a default, so the A/B form can be generated", () => {
    for (const kind of BANDIT_KINDS) {
      const schema = banditParamsSchemas[kind];
      const defaults = schema.parse({});
      for (const [key, field] of Object.entries(schema.shape)) {
        expect((field as { description?: string }).description, `${kind}.${key}`).toMatch(/\w{3,}/);
        expect(defaults[key], `${kind}.${key}`).not.toBeUndefined();
      }
    }
  });

  it.each(BANDIT_KINDS)("%s shows K distinct items outside the visitor's history and learns from outcomes", async (kind) => {
    const policy = await createBanditPolicy(kind, { embeddingDim: 8 }, context);
    const history = train.indices.slice(train.indptr[0], train.indptr[1]);
    const slate = policy.recommend({ user: 0, visitor: 0, session: 0, history }, 10);
    expect(slate.items).toHaveLength(10);
    expect(new Set(slate.items).size).toBe(10);
    expect(slate.items.some((item) => history.includes(item))).toBe(false);
    expect(policy.observe).toBeTypeOf("function");
    runOnline(env, policy, { visits: 50, slateSize: 5, seed: 1, histories: train, growHistory: true });
    (policy as { dispose?: () => void }).dispose?.();
  });

  it("LinUCB over the learned item vectors personalises: near-oracle slates after a few hundred visits", async () => {
    const policy = await createBanditPolicy("linucb", { embeddingDim: 8 }, context);
    const curve = runOnline(env, policy, { visits: 800, slateSize: 5, seed: 4, histories: train, growHistory: false });
    const lastQuarter = (c: Float64Array) => c[799] - c[599];
    // A non-personalised slate gets at most a third of its items right.
    expect(lastQuarter(curve.expected)).toBeGreaterThan(0.9 * lastQuarter(curve.oracle));
  });

  it("refuses bad input with the field named", async () => {
    const call = (kind: string, params: Record<string, unknown>, ctx = context) => createBanditPolicy(kind as never, params, ctx);
    await expect(call("linucb", { alpha: -1 })).rejects.toThrow(/bandit "linucb" parameters: alpha: /);
    await expect(call("dqn", { batchSize: 1.5 })).rejects.toThrow(/batchSize: Expected integer/);
    await expect(call("ucb1", {})).rejects.toThrow(/unknown bandit kind "ucb1"; available: epsilon-greedy, linucb, thompson, dqn/);
    await expect(call("thompson", {}, { ...context, numItems: 61 })).rejects.toThrow(/60 × 60 but the bandit was asked for 60 users × 61 items/);
    await expect(call("linucb", { alpha: -1 })).rejects.toBeInstanceOf(AppError);
  });
});
