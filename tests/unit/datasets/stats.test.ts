import { describe, expect, it } from "vitest";
import { computeStats, datasetStatsSchema, MAX_TIME_BINS } from "@/lib/datasets/stats";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import type { Dataset } from "@/lib/datasets/types";

const day = 86400;
const tiny: Dataset = {
  numUsers: 3,
  numItems: 4,
  table: {
    users: Int32Array.from([0, 0, 0, 1, 1, 2]),
    items: Int32Array.from([0, 1, 2, 0, 1, 0]),
    ratings: Float32Array.from([5, 4, 4, 3, 5, 1]),
    timestamps: Float64Array.from([Date.UTC(2020, 0, 5), Date.UTC(2020, 0, 20), Date.UTC(2020, 2, 1), Date.UTC(2020, 2, 2), Date.UTC(2020, 2, 3), Date.UTC(2020, 3, 30)].map((t) => t / 1000)),
  },
  userIds: ["a", "b", "c"],
  itemIds: ["w", "x", "y", "z"],
  feedback: "explicit",
  hasTimestamps: true,
  items: { title: ["W", "X", null, null], genres: [["Drama", "Comedy"], ["Drama"], [], []] },
  users: { gender: ["F", "M", null] },
};

describe("computeStats", () => {
  it("computes counts, sparsity, ratings, activity, long tail and time on a hand-checked dataset", () => {
    const s = computeStats(tiny);
    expect(s).toMatchObject({ numUsers: 3, numItems: 4, numInteractions: 6, sparsity: 0.5, feedback: "explicit" });
    expect(s.rating).toEqual({ mean: 22 / 6, min: 1, max: 5 });
    expect(s.ratingHistogram).toEqual([
      { rating: 1, count: 1 },
      { rating: 3, count: 1 },
      { rating: 4, count: 2 },
      { rating: 5, count: 2 },
    ]);
    expect(s.userActivity).toEqual({ min: 1, median: 2, mean: 2, max: 3 });
    expect(s.itemActivity).toEqual({ min: 0, median: 1.5, mean: 1.5, max: 3 });
    expect(s.itemPopularity).toEqual([
      { rank: 1, count: 3 },
      { rank: 2, count: 2 },
      { rank: 3, count: 1 },
      { rank: 4, count: 0 },
    ]);
    expect(s.topItemsShare).toBe(3 / 6); // top 20% of 4 items = 1 item
    expect(s.timeGranularity).toBe("month");
    expect(s.interactionsOverTime).toEqual([
      { period: "2020-01", count: 2 },
      { period: "2020-02", count: 0 },
      { period: "2020-03", count: 3 },
      { period: "2020-04", count: 1 },
    ]);
    expect(s.itemAttributes).toEqual({
      withTitle: 2,
      withGenres: 2,
      withText: 0,
      topGenres: [
        { value: "Drama", count: 2 },
        { value: "Comedy", count: 1 },
      ],
    });
    expect(s.userAttributes).toEqual([
      { name: "gender", distinct: 2, missing: 1, top: [{ value: "F", count: 1 }, { value: "M", count: 1 }] },
    ]);
  });

  it("round-trips through JSON and the schema", () => {
    const s = computeStats(generateSynthetic());
    expect(datasetStatsSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it("leaves rating stats out for implicit data and time out without timestamps", () => {
    const s = computeStats({ ...tiny, feedback: "implicit", hasTimestamps: false, items: undefined, users: undefined });
    expect(s.rating).toBeNull();
    expect(s.ratingHistogram).toBeNull();
    expect(s.interactionsOverTime).toBeNull();
    expect(s.timeGranularity).toBeNull();
    expect(s.itemAttributes).toBeNull();
    expect(s.userAttributes).toBeNull();
  });

  it("bins many distinct ratings into 20 buckets and switches to years beyond 120 months", () => {
    const n = 1000;
    const s = computeStats({
      ...tiny,
      numUsers: 1,
      numItems: n,
      table: {
        users: new Int32Array(n),
        items: Int32Array.from({ length: n }, (_, i) => i),
        ratings: Float32Array.from({ length: n }, (_, i) => i / 10),
        timestamps: Float64Array.from({ length: n }, (_, i) => Date.UTC(2000, 0, 1) / 1000 + i * 6 * day),
      },
      items: undefined,
      users: undefined,
    });
    expect(s.ratingHistogram).toHaveLength(20);
    expect(s.ratingHistogram?.reduce((a, b) => a + b.count, 0)).toBe(n);
    expect(s.timeGranularity).toBe("year");
    expect(s.interactionsOverTime?.map((p) => p.period)).toEqual(["2000", "2001", "2002", "2003", "2004", "2005", "2006", "2007", "2008", "2009", "2010", "2011", "2012", "2013", "2014", "2015", "2016"]);
    expect(s.itemPopularity).toHaveLength(200);
    expect(s.itemPopularity[0].rank).toBe(1);
    expect(s.itemPopularity[199].rank).toBe(n);
  });

  describe("stays small whatever the values", () => {
    const withTimestamps = (timestamps: number[], ratings = timestamps.map(() => 3)): Dataset => ({
      ...tiny,
      numUsers: 1,
      numItems: timestamps.length,
      table: {
        users: new Int32Array(timestamps.length),
        items: Int32Array.from(timestamps, (_, i) => i),
        ratings: Float32Array.from(ratings),
        timestamps: Float64Array.from(timestamps),
      },
      items: undefined,
      users: undefined,
    });
    // [label, timestamps, expected granularity]
    const cases: [string, number[], string][] = [
      ["the whole Date range", [8639999999999, -8639999999999], "10000 years"],
      ["beyond the Date range", [99999999999999999999, -1e300, 0], "10000 years"],
      ["infinities and NaN", [Infinity, -Infinity, NaN, 0], "10000 years"],
      ["two centuries", [Date.UTC(1900, 0, 1) / 1000, Date.UTC(2099, 11, 31) / 1000], "10 years"],
      ["only NaN", [NaN, NaN], "month"],
    ];
    for (const [label, timestamps, granularity] of cases) {
      it(`${label}: at most ${MAX_TIME_BINS} time bins, a few KB of JSON`, () => {
        const s = computeStats(withTimestamps(timestamps, timestamps.map((_, i) => (i % 2 ? 3.4e38 : -3.4e38))));
        expect(s.timeGranularity).toBe(granularity);
        expect(s.interactionsOverTime!.length).toBeLessThanOrEqual(MAX_TIME_BINS);
        expect(s.interactionsOverTime!.reduce((a, p) => a + p.count, 0)).toBe(timestamps.filter((t) => !Number.isNaN(t)).length);
        expect(JSON.stringify(s).length).toBeLessThan(16 * 1024);
        expect(datasetStatsSchema.parse(JSON.parse(JSON.stringify(s)))).toBeTruthy();
      });
    }

    it("labels wide bins by their calendar-aligned years", () => {
      const s = computeStats(withTimestamps([Date.UTC(1901, 5, 1) / 1000, Date.UTC(2099, 0, 1) / 1000]));
      expect(s.interactionsOverTime?.[0]).toEqual({ period: "1900–1909", count: 1 });
      expect(s.interactionsOverTime?.at(-1)).toEqual({ period: "2090–2099", count: 1 });
      expect(s.interactionsOverTime).toHaveLength(20);
    });

    it("a million distinct values keep every list bounded", () => {
      const n = 1_000_000;
      const s = computeStats(withTimestamps(Array.from({ length: n }, (_, i) => i * 1e6 - 5e11), Array.from({ length: n }, (_, i) => i * 1.5)));
      expect(s.ratingHistogram).toHaveLength(20);
      expect(s.itemPopularity).toHaveLength(200);
      expect(JSON.stringify(s).length).toBeLessThan(32 * 1024);
    });
  });
});
