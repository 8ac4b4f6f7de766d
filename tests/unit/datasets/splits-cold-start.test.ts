import { describe, expect, it } from "vitest";
import { describeSplit, itemColdStartParts, splitDataset, type SplitConfig } from "@/lib/datasets/splits";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { rankAmongCandidates } from "@/lib/experiments/cold-start";
import { topK } from "@/lib/metrics/top-k";

describe("item cold-start split", () => {
  const dataset = generateSynthetic({ seed: 2 });
  const config: SplitConfig = { kind: "item-cold-start", ratios: [0.7, 0.15, 0.15], seed: 9 };
  const split = splitDataset(dataset.table, dataset.numUsers, config, dataset.numItems);
  const itemsOf = (rows: Int32Array) => new Set(Array.from(rows, (r) => dataset.table.items[r]));

  it("never shows a validation or test item in training", () => {
    const train = itemsOf(split.train);
    for (const i of itemsOf(split.validation)) expect(train.has(i)).toBe(false);
    for (const i of itemsOf(split.test)) expect(train.has(i)).toBe(false);
    for (const i of itemsOf(split.test)) expect(itemsOf(split.validation).has(i)).toBe(false);
  });

  it("puts every row in exactly one part, by its item's part, with the item ratios", () => {
    expect(split.train.length + split.validation.length + split.test.length).toBe(dataset.table.users.length);
    const part = itemColdStartParts(dataset.numItems, config);
    const counts = [0, 0, 0];
    for (const p of part) counts[p]++;
    expect(counts).toEqual([140, 30, 30]);
    for (const r of split.test) expect(part[dataset.table.items[r]]).toBe(2);
  });

  it("is reproducible from its seed and differs across seeds", () => {
    expect(splitDataset(dataset.table, dataset.numUsers, config, dataset.numItems)).toEqual(split);
    expect(splitDataset(dataset.table, dataset.numUsers, { ...config, seed: 10 }, dataset.numItems).test).not.toEqual(split.test);
  });

  it("describes itself", () => {
    expect(describeSplit(config)).toBe("item cold start: items 70/15/15 (whole items held out; test ranks among test items only), seed 9");
  });

  it("ranks only candidates, keeps the model's order, and breaks constant scores at random (not by item index)", () => {
    const numItems = 50;
    const candidates = Int32Array.from({ length: 20 }, (_, k) => 2 * k + 5);
    const stats = { users: 0, constantScoreUsers: 0 };
    const constant = rankAmongCandidates((_users, out) => out.fill(0), numItems, candidates, 1, stats);
    const out = new Float32Array(numItems);
    const firstPicks: number[] = [];
    const top = new Int32Array(1);
    for (let u = 0; u < 40; u++) {
      constant(Int32Array.of(u), out);
      for (let i = 0; i < numItems; i++) if (!candidates.includes(i)) expect(out[i]).toBe(-Infinity);
      topK(out, 0, numItems, 1, top);
      firstPicks.push(top[0]);
    }
    expect(stats).toEqual({ users: 40, constantScoreUsers: 40 });
    expect(new Set(firstPicks).size).toBeGreaterThan(5); // the lowest index would win every time
    const ordered = rankAmongCandidates((_users, o) => o.forEach((_, i) => (o[i] = i)), numItems, candidates, 1, stats);
    ordered(Int32Array.of(0), out);
    expect(out[candidates[19]]).toBe(20);
    expect(out[candidates[0]]).toBe(1);
  });
});
