import { describe, expect, it } from "vitest";
import { describeSplit, splitConfigSchema, splitDataset } from "@/lib/datasets/splits";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import type { InteractionTable, Split } from "@/lib/datasets/types";
import { numpyUniforms } from "@/lib/util/numpy-random";

const data = generateSynthetic({ numUsers: 120, numItems: 80 });
const { table, numUsers } = data;

function table4(users: number[], timestamps: number[]): InteractionTable {
  return {
    users: Int32Array.from(users),
    items: Int32Array.from(users.map((_, i) => i)),
    ratings: new Float32Array(users.length).fill(1),
    timestamps: Float64Array.from(timestamps),
  };
}

/** Encodes (user id, item id) rows densely in first-seen order, as an import does; every timestamp 0. */
function encode(rows: [string, string][]) {
  const userIds: string[] = [];
  const itemIds: string[] = [];
  const index = (ids: string[], map: Map<string, number>, id: string) => {
    if (!map.has(id)) map.set(id, ids.push(id) - 1);
    return map.get(id)!;
  };
  const users = new Map<string, number>();
  const items = new Map<string, number>();
  const table: InteractionTable = {
    users: Int32Array.from(rows, ([u]) => index(userIds, users, u)),
    items: Int32Array.from(rows, ([, i]) => index(itemIds, items, i)),
    ratings: new Float32Array(rows.length).fill(1),
    timestamps: new Float64Array(rows.length),
  };
  return { table, userIds, itemIds };
}

function shuffle<T>(a: T[], seed: number): T[] {
  const out = [...a];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function expectPartition(split: Split, n: number) {
  const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
  for (const part of [split.train, split.validation, split.test]) {
    for (let i = 1; i < part.length; i++) expect(part[i]).toBeGreaterThan(part[i - 1]);
  }
}

describe("splitDataset: per-user random", () => {
  it("covers every row once, is reproducible for a seed and differs for another", () => {
    const a = splitDataset(table, numUsers, { kind: "random" });
    const b = splitDataset(table, numUsers, { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 42 });
    const c = splitDataset(table, numUsers, { kind: "random", seed: 43 });
    expectPartition(a, table.users.length);
    expect(b).toEqual(a);
    expect(c.test).not.toEqual(a.test);
  });

  it("cuts each user's rows with Python-style rounding (round half to even) like the reference split", () => {
    // user 0: 5 rows -> 4/0/1 (round(0.5) = 0); user 1: 25 rows -> 20/2/3 (round(2.5) = 2); user 2: 1 row -> 1/0/0.
    const users = [...Array(5).fill(0), ...Array(25).fill(1), 2];
    const split = splitDataset(table4(users, users.map(() => 0)), 3, { kind: "random", seed: 1 });
    const count = (part: Int32Array, u: number) => Array.from(part).filter((r) => users[r] === u).length;
    expect([0, 1, 2].map((u) => [count(split.train, u), count(split.validation, u), count(split.test, u)])).toEqual([
      [4, 0, 1],
      [20, 2, 3],
      [1, 0, 0],
    ]);
  });
});

describe("splitDataset: per-user random with the NumPy shuffle", () => {
  it("orders each user's rows by np.random.default_rng(seed).random(rows), as np.lexsort((keys, users)) does", () => {
    // Keys for seed 42 (NumPy 2): .774, .439, .859, .697, .094, … — rows 0–4 interleave two users.
    const users = [0, 1, 0, 1, 0, 1, 1, 0, 0, 1];
    const keys = numpyUniforms(42, users.length);
    const split = splitDataset(table4(users, users.map(() => 0)), 2, { kind: "random", seed: 42, shuffle: "numpy" });
    // Each user has 5 rows: 4 train, 0 validation (round(0.5) = 0), 1 test — the row with the largest key.
    for (const u of [0, 1]) {
      const rows = users.flatMap((v, r) => (v === u ? [r] : []));
      const last = rows.reduce((best, r) => (keys[r] > keys[best] ? r : best));
      expect(Array.from(split.test).filter((r) => users[r] === u)).toEqual([last]);
    }
    expect(describeSplit({ kind: "random", seed: 42, shuffle: "numpy" })).toContain("NumPy shuffle");
  });

  it("refuses a negative seed, which NumPy does not accept either", () => {
    expect(() => splitDataset(table, numUsers, { kind: "random", seed: -1, shuffle: "numpy" })).toThrow("non-negative seed");
  });
});

describe("splitDataset: global temporal", () => {
  it("puts the earliest rows in train and the latest in test", () => {
    const t = table4([0, 1, 0, 1, 2, 2, 0, 1, 2, 0], [50, 10, 90, 30, 30, 70, 20, 80, 60, 40]);
    const split = splitDataset(t, 3, { kind: "temporal", ratios: [0.6, 0.2, 0.2] });
    // time order: 1(10) 6(20) 3(30) 4(30) 9(40) 0(50) | 8(60) 5(70) | 7(80) 2(90)
    expect(Array.from(split.train)).toEqual([0, 1, 3, 4, 6, 9]);
    expect(Array.from(split.validation)).toEqual([5, 8]);
    expect(Array.from(split.test)).toEqual([2, 7]);
    expect(split.ties).toEqual({ users: 3, tiedUsers: 0 }); // the tie at 30 lies inside train
  });

  it("reports held-out rows that tie with the end of the part before them", () => {
    // time order: 0(10) 1(20) 2(30) | 3(30) | 4(40): validation row 3 ties with train's last row
    const t = table4([0, 1, 2, 0, 1], [10, 20, 30, 30, 40]);
    const split = splitDataset(t, 3, { kind: "temporal", ratios: [0.6, 0.2, 0.2] });
    expect(split.ties).toEqual({ users: 2, tiedUsers: 1 });
  });

  it("respects time on real-sized data", () => {
    const split = splitDataset(table, numUsers, { kind: "temporal" });
    expectPartition(split, table.users.length);
    const maxOf = (p: Int32Array) => Math.max(...Array.from(p, (r) => table.timestamps[r]));
    const minOf = (p: Int32Array) => Math.min(...Array.from(p, (r) => table.timestamps[r]));
    expect(maxOf(split.train)).toBeLessThanOrEqual(minOf(split.validation));
    expect(maxOf(split.validation)).toBeLessThanOrEqual(minOf(split.test));
  });
});

describe("splitDataset: leave-one-out", () => {
  it("takes each user's latest row as test and the one before as validation; < 3 rows stay in train", () => {
    const t = table4([0, 0, 0, 0, 1, 1, 2, 2, 2], [5, 9, 1, 7, 3, 4, 2, 2, 1]);
    const split = splitDataset(t, 3, { kind: "leave-one-out" });
    // user 2: rows 6 and 7 tie at t=2; the seeded tie-break decides which one is last
    const user2 = [split.test.find((r) => r >= 6), split.validation.find((r) => r >= 6)].sort();
    expect(user2).toEqual([6, 7]);
    expect(Array.from(split.test).filter((r) => r < 6)).toEqual([1]);
    expect(Array.from(split.validation).filter((r) => r < 6)).toEqual([3]);
    expect(Array.from(split.train)).toEqual([0, 2, 4, 5, 8]);
    expect(split.ties).toEqual({ users: 2, tiedUsers: 1 }); // user 1 has 2 rows: all train
  });

  it("gives the same split for any row order when timestamps tie, and warns", () => {
    // 40 users x 12 items each, every timestamp equal, the file sorted by item (the leak case:
    // by file order every user's "last" items would be their highest item ids).
    const pairs: [string, string][] = [];
    for (let item = 0; item < 60; item++) {
      for (let user = 0; user < 40; user++) if ((user * 7 + item * 3) % 5 < 1) pairs.push([`u${user}`, `i${item}`]);
    }
    const heldOut = (rows: [string, string][]) => {
      const { table: t, userIds, itemIds } = encode(rows);
      const split = splitDataset(t, userIds.length, { kind: "leave-one-out" }, itemIds.length, { userIds, itemIds });
      const label = (r: number) => `${userIds[t.users[r]]}|${itemIds[t.items[r]]}`;
      return { test: new Set(Array.from(split.test, label)), validation: new Set(Array.from(split.validation, label)), ties: split.ties };
    };
    const byItem = heldOut(pairs);
    const shuffled = heldOut(shuffle(pairs, 7));
    const reversed = heldOut([...pairs].reverse());
    expect(shuffled.test).toEqual(byItem.test);
    expect(shuffled.validation).toEqual(byItem.validation);
    expect(reversed.test).toEqual(byItem.test);
    expect(byItem.ties).toEqual({ users: byItem.test.size, tiedUsers: byItem.test.size });
    // not the file's last rows: few users get their highest item id as the test item
    const lastInFile = new Map(pairs.map(([u, i]) => [u, i]));
    const leaked = [...byItem.test].filter((label) => lastInFile.get(label.split("|")[0]) === label.split("|")[1]).length;
    expect(leaked / byItem.test.size).toBeLessThan(0.4);
  });

  it("picks the latest timestamps on generated data", () => {
    const split = splitDataset(table, numUsers, { kind: "leave-one-out" });
    expectPartition(split, table.users.length);
    expect(split.test.length).toBe(numUsers);
    const latest = new Float64Array(numUsers).fill(-Infinity);
    table.users.forEach((u, i) => (latest[u] = Math.max(latest[u], table.timestamps[i])));
    for (const r of split.test) expect(table.timestamps[r]).toBe(latest[table.users[r]]);
  });
});

describe("split configs", () => {
  it("describes splits in short labels", () => {
    expect(describeSplit({ kind: "random" })).toBe("per-user random 80/10/10, seed 42");
    expect(describeSplit({ kind: "random", ratios: [0.7, 0.15, 0.15], seed: 1 })).toBe("per-user random 70/15/15, seed 1");
    expect(describeSplit({ kind: "temporal" })).toBe("global temporal 80/10/10");
    expect(describeSplit({ kind: "leave-one-out" })).toBe("per-user leave-one-out by time (last item test, second-to-last validation)");
  });

  it("rejects ratios that do not add up to 1", () => {
    const r = splitConfigSchema.safeParse({ kind: "random", ratios: [0.8, 0.3, 0.1] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("train, validation and test ratios must add up to 1");
  });
});

describe("k-fold split", () => {
  it("the folds of one seed partition every user's rows into test parts; validation and train stay disjoint", () => {
    const split = splitDataset;
    const data = generateSynthetic({ numUsers: 60, numItems: 40, seed: 2 });
    const n = data.table.users.length;
    const testCount = new Int32Array(n);
    for (let fold = 0; fold < 4; fold++) {
      const s = split(data.table, data.numUsers, { kind: "k-fold", folds: 4, fold, seed: 9, validationRatio: 0.1 });
      expect(s.train.length + s.validation.length + s.test.length).toBe(n);
      const seen = new Set<number>();
      for (const part of [s.train, s.validation, s.test]) for (const r of part) {
        expect(seen.has(r)).toBe(false);
        seen.add(r);
      }
      for (const r of s.test) testCount[r]++;
      expect(s.test.length / n).toBeGreaterThan(0.2);
      expect(s.test.length / n).toBeLessThan(0.3);
    }
    expect(testCount.every((c) => c === 1)).toBe(true);
    expect(split(data.table, data.numUsers, { kind: "k-fold", folds: 4, fold: 1, seed: 9 })).toEqual(split(data.table, data.numUsers, { kind: "k-fold", folds: 4, fold: 1, seed: 9 }));
    expect(() => split(data.table, data.numUsers, { kind: "k-fold", folds: 3, fold: 3, seed: 9 })).toThrowError(/split\.fold/);
  });
});
