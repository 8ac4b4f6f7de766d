import { describe, expect, it } from "vitest";
import { groupGapTest, groupMeans } from "@/lib/fairness/group-gaps";

describe("group means", () => {
  const cases = [
    {
      label: "per label, ascending, NaN values and unlabelled users left out",
      values: [1, 2, 3, NaN, 5],
      labels: ["M", "F", "M", "F", null],
      expected: [{ group: "F", mean: 2, n: 1 }, { group: "M", mean: 2, n: 2 }],
    },
    { label: "a single user", values: [0.5], labels: ["F"], expected: [{ group: "F", mean: 0.5, n: 1 }] },
    { label: "no users", values: [], labels: [], expected: [] },
  ];
  for (const c of cases) it(c.label, () => expect(groupMeans(c.values, c.labels)).toEqual(c.expected));
  it("rejects values and labels of different lengths", () => expect(() => groupMeans([1], [])).toThrow(/1 values for 0/));
});

describe("permutation test on a gap of group means", () => {
  it("gives mean(a) − mean(b) and the share of relabellings at least as extreme", () => {
    // a = {1, 1}, b = {0, 0}: 2 of the 6 equally likely splits reach |gap| = 1, so p → 1/3.
    const r = groupGapTest([1, 0, 1, 0], ["a", "b", "a", "b"], "a", "b", { permutations: 20_000, seed: 1 });
    expect(r.gap).toBe(1);
    expect(r).toMatchObject({ na: 2, nb: 2, permutations: 20_000 });
    expect(r.p).toBeCloseTo(1 / 3, 1);
    expect(Math.abs(r.p - 1 / 3)).toBeLessThan(0.015);
  });

  it("has the gap's sign follow the argument order", () => {
    expect(groupGapTest([1, 0, 1, 0], ["a", "b", "a", "b"], "b", "a", { permutations: 10 }).gap).toBe(-1);
  });

  it("is 1 when the groups are alike (every relabelling ties the observed gap of 0)", () => {
    expect(groupGapTest([2, 2, 2, 2, 2], ["a", "b", "a", "b", "a"], "a", "b", { permutations: 99 }).p).toBe(1);
  });

  it("is never 0: (1 + 0) / (1 + N) for perfectly separated groups", () => {
    const labels = Array.from({ length: 20 }, (_, j) => (j < 10 ? "a" : "b"));
    const values = labels.map((l) => (l === "a" ? 1 : 0));
    expect(groupGapTest(values, labels, "a", "b", { permutations: 999 }).p).toBeCloseTo(1 / 1000, 12);
  });

  it("ignores other groups, unlabelled users and NaN values", () => {
    const r = groupGapTest([1, 0, 1, 0, 9, 9, NaN], ["a", "b", "a", "b", "c", null, "a"], "a", "b", { permutations: 10 });
    expect(r).toMatchObject({ gap: 1, na: 2, nb: 2 });
  });

  it("is seeded: the same seed gives the same p", () => {
    const values = [0.3, 0.1, 0.5, 0.2, 0.4, 0.0, 0.6];
    const labels = ["a", "b", "a", "b", "a", "b", "b"];
    const p = (seed: number) => groupGapTest(values, labels, "a", "b", { permutations: 500, seed }).p;
    expect(p(7)).toBe(p(7));
  });

  const bad = [
    { label: "an empty group", values: [1, 2], labels: ["a", "a"], error: /group "b" has no users/ },
    { label: "lengths that differ", values: [1, 2], labels: ["a"], error: /2 values for 1/ },
  ];
  for (const c of bad) it(`rejects ${c.label}`, () => expect(() => groupGapTest(c.values, c.labels, "a", "b")).toThrow(c.error));
  it("rejects a non-positive number of permutations", () => expect(() => groupGapTest([1, 0], ["a", "b"], "a", "b", { permutations: 0 })).toThrow(/permutations/));
});
