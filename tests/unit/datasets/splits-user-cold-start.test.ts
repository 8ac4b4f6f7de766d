import { describe, expect, it } from "vitest";
import { describeSplit, splitDataset, type SplitConfig } from "@/lib/datasets/splits";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import type { InteractionTable } from "@/lib/datasets/types";
import { resolveRunConfig } from "@/lib/experiments/run-config";
import { runExperiment } from "@/lib/experiments/run-experiment";
import { historiesByUser, historyScorer } from "@/lib/models/history-scorer";
import type { Recommender } from "@/lib/models/types";

describe("user cold-start split (strong generalisation)", () => {
  const dataset = generateSynthetic({ seed: 4 });
  const config: SplitConfig = { kind: "user-cold-start", ratios: [0.6, 0.2, 0.2], foldInRatio: 0.75, seed: 5 };
  const split = splitDataset(dataset.table, dataset.numUsers, config, dataset.numItems);
  const usersOf = (rows: Int32Array) => new Set(Array.from(rows, (r) => dataset.table.users[r]));

  it("never shows a validation or test user in training, and keeps validation and test users apart", () => {
    const train = usersOf(split.train);
    const heldOut = [...usersOf(split.validation), ...usersOf(split.test), ...usersOf(split.foldIn!)];
    for (const u of heldOut) expect(train.has(u)).toBe(false);
    for (const u of usersOf(split.test)) expect(usersOf(split.validation).has(u)).toBe(false);
  });

  it("puts every row in exactly one of train, validation, test and fold-in; users cut by the ratios", () => {
    const n = dataset.table.users.length;
    expect(split.train.length + split.validation.length + split.test.length + split.foldIn!.length).toBe(n);
    expect(new Set([...split.train, ...split.validation, ...split.test, ...split.foldIn!]).size).toBe(n);
    // 300 users (every synthetic user has rows): 180 / 60 / 60.
    expect(dataset.numUsers).toBe(300);
    expect([usersOf(split.train).size, usersOf(split.validation).size, usersOf(split.test).size]).toEqual([180, 60, 60]);
  });

  it("gives each held-out user round(m × foldInRatio) rows (half to even, as Python) as fold-in and evaluates the rest", () => {
    const roundHalfEven = (x: number) => (x - Math.floor(x) === 0.5 ? (Math.floor(x) % 2 === 0 ? Math.floor(x) : Math.ceil(x)) : Math.round(x));
    expect(roundHalfEven(58.5)).toBe(58);
    const count = (rows: Int32Array) => {
      const c = new Map<number, number>();
      for (const r of rows) c.set(dataset.table.users[r], (c.get(dataset.table.users[r]) ?? 0) + 1);
      return c;
    };
    const foldIn = count(split.foldIn!);
    const evaluated = new Map([...count(split.validation), ...count(split.test)]);
    for (const [user, held] of evaluated) {
      const m = held + (foldIn.get(user) ?? 0);
      expect(foldIn.get(user), `user ${user} with ${m} rows`).toBe(Math.min(m - 1, roundHalfEven(m * 0.75)));
    }
  });

  it("holds out a one-row user entirely as fold-in (nothing to evaluate) and a two-row user 1 + 1", () => {
    const table: InteractionTable = {
      users: Int32Array.from([0, 1, 1, 2, 2, 2, 2]),
      items: Int32Array.from([0, 1, 2, 0, 1, 2, 3]),
      ratings: new Float32Array(7).fill(1),
      timestamps: new Float64Array(7),
    } as InteractionTable;
    const tiny = splitDataset(table, 3, { kind: "user-cold-start", ratios: [0, 0, 1], foldInRatio: 0.9, seed: 1 });
    expect(tiny.train.length).toBe(0);
    expect(Array.from(tiny.test, (r) => table.users[r]).sort()).toEqual([1, 2]); // user 0 is all fold-in; user 2: min(3, round(3.6)) = 3 fold-in
    expect(tiny.foldIn!.length).toBe(1 + 1 + 3);
  });

  it("is reproducible from its seed and describes itself", () => {
    expect(splitDataset(dataset.table, dataset.numUsers, config, dataset.numItems)).toEqual(split);
    expect(splitDataset(dataset.table, dataset.numUsers, { ...config, seed: 6 }).test).not.toEqual(split.test);
    expect(describeSplit(config)).toBe("user cold start: users 60/20/20, 75% of each held-out user's rows as fold-in, seed 5");
  });

  it("scores held-out users from their fold-in histories, oldest first", () => {
    const table = { users: Int32Array.from([1, 1, 0]), items: Int32Array.from([7, 3, 5]), ratings: new Float32Array(3), timestamps: Float64Array.from([20, 10, 0]) } as InteractionTable;
    const histories = historiesByUser(table, Int32Array.from([0, 1, 2]), 2);
    expect(Array.from(histories.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(histories.items)).toEqual([5, 3, 7]);
    const seen: number[][] = [];
    const model = { scoreHistories: (_users: Int32Array, h: { indptr: Int32Array; items: Int32Array }) => seen.push(Array.from(h.items)) } as unknown as Recommender;
    historyScorer(model, histories)(Int32Array.from([1]), new Float32Array(10));
    expect(seen).toEqual([[3, 7]]);
  });

  it("refuses models that cannot score unseen users, with the reason, and accepts history models", () => {
    expect(() => resolveRunConfig({ modelId: "bpr", split: config })).toThrowError(/BPR-MF cannot score users unseen in training.*Mult-VAE/);
    expect(resolveRunConfig({ modelId: "mult-vae", split: config }).split.kind).toBe("user-cold-start");
    expect(resolveRunConfig({ modelId: "pop", split: config }).split.kind).toBe("user-cold-start");
  });

  it("evaluates popularity on unseen test users with the fold-in items masked", async () => {
    const result = await runExperiment(dataset, resolveRunConfig({ modelId: "pop", split: config, ks: [10] }));
    const testUsers = usersOf(split.test);
    expect(result.test.numUsers).toBe(testUsers.size);
    expect(result.test.summary["ndcg@10"]).toBeGreaterThan(0);
    expect(result.candidates).toBeUndefined();
  });
});
