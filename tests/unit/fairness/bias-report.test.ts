import { describe, expect, it } from "vitest";
import { buildBiasReport, exposureVerdict, gapVerdict, headlineMetric } from "../../../lib/fairness/bias-report";
import { exposureVsRelevance, genreCalibration, longTailExposure, lorenzCurve, popularityGroups, slotCounts } from "../../../lib/fairness/exposure-report";
import { groupMetrics } from "../../../lib/fairness/group-metrics";
import { buildRunLists, decodeRunLists, encodeRunLists } from "../../../lib/fairness/run-lists";
import { ageBand, groupsByActivity, groupsByAttribute } from "../../../lib/fairness/user-groups";
import { tableToCsr } from "../../../lib/datasets/csr";

describe("user groups", () => {
  it.each([
    ["1", "under 18"],
    ["18", "18–24"],
    ["24", "18–24"],
    ["25", "25–34"],
    ["56", "55+"],
    [null, null],
    ["unknown", "unknown"],
  ])("age %s falls in band %s", (age, band) => expect(ageBand(age)).toBe(band));

  it("bands numeric ages but keeps other attributes as given; blanks are unknown", () => {
    expect(groupsByAttribute("age", ["20", "40", ""]).labels).toEqual(["18–24", "35–44", null]);
    expect(groupsByAttribute("gender", ["F", "M", " "]).labels).toEqual(["F", "M", null]);
  });

  it("splits activity into quartiles of equal size, least active first, with the range in the label", () => {
    const { labels } = groupsByActivity([8, 1, 2, 7, 3, 6, 4, 5], 4);
    expect(labels).toEqual(["Q4 (7–8)", "Q1 (1–2)", "Q1 (1–2)", "Q4 (7–8)", "Q2 (3–4)", "Q3 (5–6)", "Q2 (3–4)", "Q3 (5–6)"]);
  });

  it("keeps equal activity in one group, so the ranges do not overlap", () => {
    expect(groupsByActivity([1, 2, 2, 2, 3, 4], 3).labels).toEqual(["Q1 (1–2)", "Q1 (1–2)", "Q1 (1–2)", "Q1 (1–2)", "Q2 (3–4)", "Q2 (3–4)"]);
  });
});

describe("group metrics", () => {
  const labels = ["a", "a", "a", "b", "b", "b", "c"];
  const values = { "ndcg@10": Float32Array.from([0.2, 0.4, 0.6, 0.1, 0.1, 0.1, 0.9]) };

  it("estimates each group's mean with a CI around it, and reports small and empty groups without estimating them", () => {
    const gm = groupMetrics({ values, labels, minSize: 2, groups: ["a", "b", "c", "d"], permutations: 200, resamples: 200 });
    const by = Object.fromEntries(gm.groups.map((g) => [g.group, g]));
    expect(by.a.metrics["ndcg@10"].estimate).toBeCloseTo(0.4, 6);
    expect(by.a.metrics["ndcg@10"].low).toBeGreaterThanOrEqual(0.2 - 1e-6);
    expect(by.a.metrics["ndcg@10"].high).toBeLessThanOrEqual(0.6 + 1e-6);
    expect(by.b.metrics["ndcg@10"].estimate).toBeCloseTo(0.1, 6);
    expect(by.c).toMatchObject({ n: 1, status: "too-small", metrics: {} });
    expect(by.d).toMatchObject({ n: 0, status: "empty" });
    // Only a vs b is tested: gap 0.3, ratio 4.
    expect(gm.gaps).toHaveLength(1);
    expect(gm.gaps[0]).toMatchObject({ key: "ndcg@10", a: "a", b: "b" });
    expect(gm.gaps[0].gap).toBeCloseTo(0.3, 6);
    expect(gm.gaps[0].ratio).toBeCloseTo(4, 5);
  });

  it("Holm-corrects the p-values across the pairs tested", () => {
    const many = { m: Float32Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0.5, 0.5, 0.5, 0.6]) };
    const gm = groupMetrics({ values: many, labels: ["x", "x", "x", "x", "y", "y", "y", "y", "z", "z", "z", "z"], minSize: 2, permutations: 500 });
    expect(gm.pairing).toBe("all-pairs");
    expect(gm.gaps).toHaveLength(3);
    const sorted = [...gm.gaps].sort((a, b) => a.p - b.p);
    expect(sorted[0].pHolm).toBeCloseTo(Math.min(1, 3 * sorted[0].p), 10);
    for (const g of gm.gaps) expect(g.pHolm).toBeGreaterThanOrEqual(g.p);
  });
});

describe("exposure vs relevance", () => {
  it("shares slots, test and training interactions per item group (hand-computed)", () => {
    // Items 0, 1 head; 2, 3 tail. Slots: item0 ×3, item2 ×1 → tail 25% of slots.
    const slots = slotCounts(Int32Array.from([0, 2, 0, -1, 0, 3].slice(0, 5)), 4);
    expect(Array.from(slots)).toEqual([3, 0, 1, 0]);
    const shares = exposureVsRelevance([["head"], ["head"], ["tail"], ["tail"]], slots, [1, 1, 1, 1], [6, 2, 1, 1]);
    expect(shares).toEqual([
      { group: "head", items: 2, exposure: 0.75, relevance: 0.5, training: 0.8 },
      { group: "tail", items: 2, exposure: 0.25, relevance: 0.5, training: 0.2 },
    ]);
  });

  it("splits an item's unit over its genres, skips items without any, and calibrates histories vs recommendations", () => {
    const shares = genreCalibration([["A", "B"], ["B"], null], [2, 2, 5], [1, 1, 4]);
    expect(shares).toEqual([
      { genre: "B", history: 0.75, recommended: 0.75 },
      { genre: "A", history: 0.25, recommended: 0.25 },
    ]);
  });

  it("marks the short head as the most popular items holding 20% of training interactions", () => {
    expect(popularityGroups([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])[0]).toEqual(["short head"]);
    expect(popularityGroups([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])[1]).toEqual(["long tail"]);
  });

  it("draws the Lorenz curve of exposure and the long-tail exposure by popularity rank", () => {
    expect(lorenzCurve([0, 0, 1, 3], 4)).toEqual([{ x: 0, y: 0 }, { x: 0.25, y: 0 }, { x: 0.5, y: 0 }, { x: 0.75, y: 0.25 }, { x: 1, y: 1 }]);
    expect(longTailExposure([4, 3, 2, 1], [1, 0, 0, 3], 2)).toEqual([
      { rank: 2, popularity: 0.7, exposure: 0.25 },
      { rank: 4, popularity: 0.3, exposure: 0.75 },
    ]);
  });
});

describe("verdict sentences", () => {
  it("says when a gap is not significant", () => {
    expect(gapVerdict({ key: "ndcg@10", a: "F", b: "M", gap: -0.0181, ratio: 0.9, p: 0.14, pHolm: 0.28, significant: false })).toBe(
      "NDCG@10 differs between F and M by 0.018 (p = 0.28, not significant).",
    );
    expect(gapVerdict({ key: "recall@10", a: "F", b: "M", gap: 0.05, ratio: 1.2, p: 0.0004, pHolm: 0.0004, significant: true })).toBe(
      "Recall@10 differs between F and M by 0.050 (p < 0.001, significant after Holm correction; higher for F).",
    );
  });

  it("puts long-tail exposure against training and test shares", () => {
    expect(exposureVerdict("EASE", { group: "long tail", items: 10, exposure: 0.39, relevance: 0.25, training: 0.2 })).toBe(
      "EASE gives long-tail items 39% of its slots against 20% of training interactions (25% of test interactions).",
    );
  });

  it("picks NDCG@10 as the headline when evaluated", () => {
    expect(headlineMetric(["recall@5", "ndcg@20", "ndcg@5"])).toBe("ndcg@5");
    expect(headlineMetric(["recall@10", "ndcg@10"])).toBe("ndcg@10");
  });
});

describe("bias report", () => {
  const train = tableToCsr({ users: Int32Array.from([0, 0, 1, 2, 3]), items: Int32Array.from([0, 1, 0, 0, 2]), ratings: new Float32Array(5).fill(1), timestamps: new Float64Array(5) }, 4, 4, true);
  const test = tableToCsr({ users: Int32Array.from([0, 1, 2, 3]), items: Int32Array.from([2, 3, 1, 1]), ratings: new Float32Array(4).fill(1), timestamps: new Float64Array(4) }, 4, 4, true);
  const users = Int32Array.from([0, 1, 2, 3]);
  const lists = buildRunLists(train, test, users, { k: 2, items: Int32Array.from([2, 3, 1, 2, 1, 3, 1, -1]) });
  const perUser = { users, values: { "ndcg@2": Float32Array.from([1, 0.5, 0.5, 0]), "recall@2": Float32Array.from([1, 1, 1, 0]) } };
  const dataset = { numUsers: 4, numItems: 4, itemIds: ["1", "2", "3", "4"], users: { gender: ["F", "F", "M", "M"] }, items: { genres: [["X"], ["Y"], ["X", "Y"], []] } };
  const run = { id: "r", name: "run", modelName: "EASE", test: { "ndcg@2": 0.5, "gini@2": 0.3, "aplt@2": 0.4 } };

  it("round-trips the stored lists", () => {
    const back = decodeRunLists(encodeRunLists(lists));
    expect(back).toEqual(lists);
    expect(Array.from(back.activity)).toEqual([2, 1, 1, 1]);
    expect(Array.from(back.relevance)).toEqual([0, 2, 1, 1]);
  });

  it("groups, tests, shares exposure and speaks in words", () => {
    const report = buildBiasReport({ run, dataset, perUser, lists, minSize: 2, permutations: 100 });
    expect(report.groupBy).toBe("gender");
    expect(report.groupOptions).toEqual(["gender", "activity"]);
    expect(report.groupMetrics.groups.map((g) => [g.group, g.metrics["ndcg@2"].estimate])).toEqual([["F", 0.75], ["M", 0.25]]);
    expect(report.verdicts.some((v) => v.startsWith("NDCG@2 differs between F and M by 0.500"))).toBe(true);
    // Popularity [3, 1, 1, 0]: head = item 0 (3 of 5 ≥ 20%); every one of the 7 slots goes to the tail.
    expect(report.exposure!.popularity.find((g) => g.group === "long tail")).toMatchObject({ exposure: 1, training: 0.4, relevance: 1 });
    expect(report.verdicts[0]).toBe("EASE gives long-tail items 100% of its slots against 40% of training interactions (100% of test interactions).");
    expect(report.beyond.map((b) => [b.key, b.higherIsBetter])).toEqual([["gini@2", false], ["aplt@2", true]]);
    expect(report.missing).toEqual([]);
  });

  it("explains what is missing without attributes, categories or stored lists", () => {
    const report = buildBiasReport({ run, dataset: { numUsers: 4, numItems: 4, itemIds: [] }, perUser, lists: null });
    expect(report.exposure).toBeNull();
    expect(report.groupOptions).toEqual([]);
    expect(report.missing.join(" ")).toMatch(/no user attributes.*re-run to see exposure.*no genres or categories/);
  });

  it("refuses an unknown group attribute with the options", () => {
    expect(() => buildBiasReport({ run, dataset, perUser, lists, groupBy: "shoe-size" })).toThrow(/unknown group attribute "shoe-size"; choose one of gender, activity/);
  });
});
