import { describe, expect, it } from "vitest";
import { buildCsr, selectRows, transposeCsr } from "@/lib/datasets/csr";
import {
  expectedInteractions,
  generateSynthetic,
  generateSyntheticCooperatively,
  SYNTHETIC_GENRES,
  SYNTHETIC_LIMITS,
  syntheticLimitsSchema,
  syntheticOptionsSchema,
  type SyntheticProgress,
} from "@/lib/datasets/synthetic";
import type { Csr, Dataset } from "@/lib/datasets/types";
import { Rng } from "@/lib/util/rng";

/** One random held-out row per user (users with >= 2 rows); the rest is training. */
function holdOne(d: Dataset, seed: number): { train: Int32Array; test: Int32Array } {
  const rng = new Rng(seed);
  const byUser: number[][] = Array.from({ length: d.numUsers }, () => []);
  d.table.users.forEach((u, i) => byUser[u].push(i));
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of byUser) {
    const pick = rows.length >= 2 ? rng.int(rows.length) : -1;
    rows.forEach((r, k) => (k === pick ? test : train).push(r));
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** HR@10 of a scorer over held-out rows, with the user's training items excluded. */
function hitRate(d: Dataset, train: Csr, test: Int32Array, score: (u: number, out: Float64Array) => void): number {
  const scores = new Float64Array(d.numItems);
  let hits = 0;
  for (const row of test) {
    const u = d.table.users[row];
    score(u, scores);
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) scores[train.indices[p]] = -Infinity;
    const target = scores[d.table.items[row]];
    let better = 0;
    for (let j = 0; j < d.numItems; j++) if (scores[j] > target) better++;
    if (better < 10) hits++;
  }
  return hits / test.length;
}

function compareModels(d: Dataset, seed: number): { pop: number; knn: number } {
  const { train, test } = holdOne(d, seed);
  const t = selectRows(d.table, train);
  const ui = buildCsr(d.numUsers, d.numItems, t.users, t.items);
  const iu = transposeCsr(ui);
  const popularity = new Float64Array(d.numItems);
  for (let j = 0; j < d.numItems; j++) popularity[j] = iu.indptr[j + 1] - iu.indptr[j];
  // Inline cosine item-item similarity on binary training data.
  const sim = new Float64Array(d.numItems * d.numItems);
  for (let u = 0; u < d.numUsers; u++) {
    for (let p = ui.indptr[u]; p < ui.indptr[u + 1]; p++)
      for (let q = ui.indptr[u]; q < ui.indptr[u + 1]; q++) if (p !== q) sim[ui.indices[p] * d.numItems + ui.indices[q]]++;
  }
  for (let i = 0; i < d.numItems; i++)
    for (let j = 0; j < d.numItems; j++) sim[i * d.numItems + j] /= Math.sqrt(popularity[i] * popularity[j]) || 1;
  const pop = hitRate(d, ui, test, (_u, out) => out.set(popularity));
  const knn = hitRate(d, ui, test, (u, out) => {
    out.fill(0);
    for (let p = ui.indptr[u]; p < ui.indptr[u + 1]; p++) {
      const i = ui.indices[p];
      for (let j = 0; j < d.numItems; j++) out[j] += sim[i * d.numItems + j];
    }
  });
  return { pop, knn };
}

describe("generateSynthetic", () => {
  it("has the documented defaults and shape", () => {
    const d = generateSynthetic();
    expect(d).toMatchObject({ numUsers: 300, numItems: 200, feedback: "explicit", hasTimestamps: true });
    expect(d.truth.dim).toBe(8);
    expect(d.truth.userFactors.length).toBe(300 * 8);
    expect(d.truth.itemFactors.length).toBe(200 * 8);
    const perUser = new Int32Array(d.numUsers);
    d.table.users.forEach((u) => perUser[u]++);
    expect(Math.min(...perUser)).toBeGreaterThanOrEqual(5);
    const mean = d.table.users.length / d.numUsers;
    expect(mean).toBeGreaterThan(22);
    expect(mean).toBeLessThan(38);
    expect(new Set(d.table.ratings)).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(d.items?.title?.[11]).toMatch(/^Item 12 \((.+)\)$/);
    expect(d.items?.title?.[11]).toBe(`Item 12 (${d.items?.genres?.[11][0]})`);
    expect(new Set(d.items?.genres?.flat()).size).toBeGreaterThanOrEqual(6);
    for (const g of d.items?.genres?.flat() ?? []) expect(SYNTHETIC_GENRES).toContain(g);
    expect(new Set(d.users?.gender)).toEqual(new Set(["M", "F"]));
    expect(new Set(d.users?.ageBand).size).toBe(5);
    expect(syntheticOptionsSchema.shape.seed.description).toMatch(/seed/i);
  });

  it("is deterministic for a seed and differs for another", () => {
    const a = generateSynthetic({ seed: 3, numUsers: 50 });
    const b = generateSynthetic({ seed: 3, numUsers: 50 });
    const c = generateSynthetic({ seed: 4, numUsers: 50 });
    expect(b.table).toEqual(a.table);
    expect(b.truth.itemFactors).toEqual(a.truth.itemFactors);
    expect(c.table.items).not.toEqual(a.table.items);
  });

  it("orders each user's timestamps strictly increasing within about a year, without repeats", () => {
    const d = generateSynthetic();
    const { users, items, timestamps } = d.table;
    let min = Infinity;
    let max = -Infinity;
    const pairs = new Set<number>();
    for (let i = 0; i < users.length; i++) {
      if (i > 0 && users[i] === users[i - 1]) expect(timestamps[i]).toBeGreaterThan(timestamps[i - 1]);
      min = Math.min(min, timestamps[i]);
      max = Math.max(max, timestamps[i]);
      pairs.add(users[i] * d.numItems + items[i]);
    }
    expect(pairs.size).toBe(users.length);
    expect((max - min) / 86400).toBeGreaterThan(300);
    expect((max - min) / 86400).toBeLessThanOrEqual(366);
  });

  it("has a skewed popularity (the top 20% of items get well over 20% of interactions)", () => {
    const d = generateSynthetic();
    const counts = new Float64Array(d.numItems);
    d.table.items.forEach((j) => counts[j]++);
    const sorted = Array.from(counts).sort((a, b) => b - a);
    const top = sorted.slice(0, 40).reduce((s, c) => s + c, 0);
    expect(top / d.table.items.length).toBeGreaterThan(0.4);
  });

  it("carries a sequence signal: consecutive items are closer in factor space than random pairs of the same user", () => {
    const d = generateSynthetic();
    const { dim, itemFactors: f } = d.truth;
    const cos = (i: number, j: number) => {
      let s = 0, a = 0, b = 0;
      for (let k = 0; k < dim; k++) {
        s += f[i * dim + k] * f[j * dim + k];
        a += f[i * dim + k] ** 2;
        b += f[j * dim + k] ** 2;
      }
      return s / Math.sqrt(a * b);
    };
    const { users, items } = d.table;
    let consecutive = 0, nc = 0, spread = 0, ns = 0;
    for (let i = 1; i < users.length; i++) {
      if (users[i] !== users[i - 1]) continue;
      consecutive += cos(items[i], items[i - 1]);
      nc++;
      if (i >= 5 && users[i - 5] === users[i]) {
        spread += cos(items[i], items[i - 5]);
        ns++;
      }
    }
    expect(consecutive / nc).toBeGreaterThan(spread / ns + 0.1);
  });

  it("has learnable personal signal: cosine item-kNN clearly beats popularity on a holdout", () => {
    const { pop, knn } = compareModels(generateSynthetic(), 1);
    expect(knn).toBeGreaterThan(pop * 1.3);
    expect(knn - pop).toBeGreaterThan(0.08);
  });
});

describe("generateSyntheticCooperatively", () => {
  it("gives the same dataset as generateSynthetic, reporting progress and yielding on the way", async () => {
    const options = { seed: 5, numUsers: 80, numItems: 60 };
    const reports: SyntheticProgress[] = [];
    let timerTicks = 0;
    const timer = setInterval(() => timerTicks++, 0);
    // A zero slice pauses after every interaction: the most interleaving the driver can do.
    const cooperative = await generateSyntheticCooperatively(options, (p) => void reports.push({ ...p }), 0).finally(() => clearInterval(timer));
    const plain = generateSynthetic(options);
    expect(cooperative.table).toEqual(plain.table);
    expect(cooperative.truth).toEqual(plain.truth);
    expect(cooperative.items).toEqual(plain.items);
    expect(cooperative.users).toEqual(plain.users);
    expect(reports.length).toBeGreaterThan(80);
    expect(reports.at(-1)).toEqual({ usersDone: 80, numUsers: 80, interactions: plain.table.users.length });
    for (let i = 1; i < reports.length; i++) expect(reports[i].interactions).toBeGreaterThanOrEqual(reports[i - 1].interactions);
    expect(timerTicks).toBeGreaterThan(0);
  });

  it("stops when the progress callback throws (cancellation)", async () => {
    let calls = 0;
    const stop = new Error("cancelled");
    await expect(
      generateSyntheticCooperatively({ numUsers: 50, numItems: 40 }, () => {
        if (++calls === 3) throw stop;
      }, 0),
    ).rejects.toBe(stop);
    expect(calls).toBe(3);
  });
});

describe("synthetic limits", () => {
  const cases: { label: string; options: Record<string, number>; path: string; message: RegExp }[] = [
    { label: "a huge mean per user", options: { interactionsPerUser: 1e9 }, path: "interactionsPerUser", message: /mean interactions per user may be at most 10,000/ },
    { label: "a huge minimum per user", options: { minInteractionsPerUser: 1e9, interactionsPerUser: 50 }, path: "minInteractionsPerUser", message: /fewest interactions per user may be at most 10,000/ },
    { label: "a minimum above the mean", options: { minInteractionsPerUser: 40, interactionsPerUser: 30 }, path: "minInteractionsPerUser", message: /may not exceed the mean interactions per user/ },
    { label: "too many users", options: { numUsers: 1e7 }, path: "numUsers", message: /number of users may be at most 200,000/ },
    { label: "too many items", options: { numItems: 1e6 }, path: "numItems", message: /number of items may be at most 50,000/ },
    {
      label: "too many interactions in total",
      options: { numUsers: 200_000, numItems: 50_000, interactionsPerUser: 1000 },
      path: "interactionsPerUser",
      message: /expected number of interactions .* exceeds the limit of 25,000,000/,
    },
    {
      label: "too much generator work",
      options: { numUsers: 100_000, numItems: 50_000, interactionsPerUser: 200 },
      path: "numItems",
      message: /generator work .* exceeds the limit of 100,000,000,000/,
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.label}, naming the limit`, () => {
      const result = syntheticLimitsSchema.safeParse(c.options);
      expect(result.success).toBe(false);
      const issue = result.error!.issues.find((i) => i.path.join(".") === c.path);
      expect(issue?.message, JSON.stringify(result.error!.issues)).toMatch(c.message);
      expect(() => generateSynthetic(c.options)).toThrow();
    });
  }

  it("admits MovieLens-20M-sized catalogues and the defaults", () => {
    expect(syntheticLimitsSchema.safeParse({}).success).toBe(true);
    expect(syntheticLimitsSchema.safeParse({ numUsers: 138_493, numItems: 26_744, interactionsPerUser: 20 }).success).toBe(true);
    expect(expectedInteractions({ numUsers: 1000, numItems: 2000, interactionsPerUser: 100, minInteractionsPerUser: 5 })).toBe(100_000);
    expect(expectedInteractions({ numUsers: 10, numItems: 10, interactionsPerUser: 100, minInteractionsPerUser: 5 })).toBe(80);
    expect(SYNTHETIC_LIMITS.maxInteractions).toBeGreaterThanOrEqual(20_000_263);
    for (const field of Object.values(syntheticOptionsSchema.shape)) expect(field.description).toBeTruthy();
  });
});
