import { describe, expect, it } from "vitest";
import { generateSynthetic, generatorWork, presetOptions, SYNTHETIC_PRESETS, syntheticLimitsSchema } from "@/lib/datasets/synthetic";
import { parseCreateSynthetic } from "@/lib/storage/create-synthetic-dataset";

const YEAR = 365 * 24 * 3600;

function counts(values: Int32Array, n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const v of values) c[v]++;
  return c;
}

describe("synthetic MovieLens-20M preset (candidate sampling), at 1/200 of the users", () => {
  const options = presetOptions("movielens-20m", 1 / 200, { numItems: 3_000, seed: 11 });
  const d = generateSynthetic(options);
  const n = d.table.users.length;

  it("scales users only and keeps the preset's shape options", () => {
    expect(d.numUsers).toBe(690);
    expect(d.numItems).toBe(3_000);
    // Mean 145 per user before the floor of 20 lifts the low tail a little.
    expect(n / d.numUsers).toBeGreaterThan(120);
    expect(n / d.numUsers).toBeLessThan(190);
  });

  it("gives users a long tail: at least 20 each, median well under the mean, heavy users at 5x the mean", () => {
    const perUser = counts(d.table.users, d.numUsers).sort((a, b) => a - b);
    const mean = n / d.numUsers;
    expect(perUser[0]).toBe(20);
    expect(perUser[perUser.length >> 1]).toBeLessThan(0.75 * mean);
    expect(perUser[perUser.length - 1]).toBeGreaterThan(5 * mean);
  });

  it("gives items a Zipf tail: the top 20% of items hold most interactions, the bottom half gets little", () => {
    const perItem = counts(d.table.items, d.numItems).sort((a, b) => b - a);
    const head = perItem.slice(0, d.numItems / 5).reduce((a, b) => a + b, 0);
    expect(head / n).toBeGreaterThan(0.5);
    const tail = perItem.slice(d.numItems / 2).reduce((a, b) => a + b, 0);
    expect(tail / n).toBeLessThan(0.2);
    expect(perItem[0]).toBeGreaterThan(20 * perItem[d.numItems / 2]);
  });

  it("never repeats an item for a user and keeps each user's timestamps strictly increasing inside the 20-year span", () => {
    const { users, items, timestamps } = d.table;
    const seen = new Set<number>();
    const start = SYNTHETIC_PRESETS["movielens-20m"].startTime;
    let outside = 0, notIncreasing = 0, repeats = 0;
    for (let r = 0; r < n; r++) {
      if (timestamps![r] < start || timestamps![r] > start + 20 * YEAR) outside++;
      if (r > 0 && users[r] === users[r - 1]) notIncreasing += timestamps![r] > timestamps![r - 1] ? 0 : 1;
      else seen.clear();
      if (seen.has(items[r])) repeats++;
      seen.add(items[r]);
    }
    expect({ outside, notIncreasing, repeats }).toEqual({ outside: 0, notIncreasing: 0, repeats: 0 });
    let min = Infinity, max = -Infinity;
    for (const t of timestamps!) (min = Math.min(min, t)), (max = Math.max(max, t));
    expect(max - min).toBeGreaterThan(15 * YEAR);
  });

  it("is deterministic for a seed", () => {
    const again = generateSynthetic(options);
    expect(Buffer.from(again.table.items.buffer).equals(Buffer.from(d.table.items.buffer))).toBe(true);
    expect(Buffer.from(again.table.timestamps!.buffer).equals(Buffer.from(d.table.timestamps!.buffer))).toBe(true);
  });
});

describe("synthetic presets through the request schema", () => {
  it("fills the preset under the given options and validates the result", () => {
    const parsed = parseCreateSynthetic({ name: "ML-20M sized", preset: "movielens-20m", options: { seed: 3 } });
    expect(parsed.options).toMatchObject({ numUsers: 138_000, numItems: 27_000, candidateItems: 48, seed: 3 });
    // ~20M interactions x 48 candidates: within the work limit that the exact generator would break.
    expect(generatorWork(parsed.options)).toBeLessThan(2e9);
    expect(generatorWork({ ...parsed.options, candidateItems: 0 })).toBeGreaterThan(1e11);
  });

  it("refuses the same size with the exact generator, naming candidateItems", () => {
    const result = syntheticLimitsSchema.safeParse({ ...SYNTHETIC_PRESETS["movielens-20m"], candidateItems: 0 });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toMatch(/candidateItems/);
  });

  it("rejects an unknown preset", () => {
    expect(() => parseCreateSynthetic({ preset: "movielens-1b" })).toThrow(/preset/);
  });
});
