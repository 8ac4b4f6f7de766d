import { z } from "zod";
import type { Dataset } from "./types";

const countSchema = z.object({ value: z.string(), count: z.number() });
const quantilesSchema = z.object({ min: z.number(), median: z.number(), mean: z.number(), max: z.number() });

/** Summary statistics of a dataset for the statistics page; stored as JSON and parsed back. */
export const datasetStatsSchema = z.object({
  numUsers: z.number(),
  numItems: z.number(),
  numInteractions: z.number(),
  /** 1 - interactions / (users * items). */
  sparsity: z.number(),
  feedback: z.enum(["explicit", "implicit"]),
  /** Rating summary: explicit feedback only, else null. */
  rating: z.object({ mean: z.number(), min: z.number(), max: z.number() }).nullable(),
  /** Count per distinct rating (at most 20), or per equal-width bin labelled by its midpoint. */
  ratingHistogram: z.array(z.object({ rating: z.number(), count: z.number() })).nullable(),
  /** Interactions per user. */
  userActivity: quantilesSchema,
  /** Interactions per item. */
  itemActivity: quantilesSchema,
  /** Long-tail curve: item interaction counts sorted descending, at most 200 points. */
  itemPopularity: z.array(z.object({ rank: z.number(), count: z.number() })),
  /** Share of interactions on the 20% most popular items. */
  topItemsShare: z.number(),
  timeGranularity: z.enum(["month", "year"]).nullable(),
  /** Interactions per "YYYY-MM" (or "YYYY" beyond 120 months), gaps filled with 0; null without timestamps. */
  interactionsOverTime: z.array(z.object({ period: z.string(), count: z.number() })).nullable(),
  itemAttributes: z
    .object({ withTitle: z.number(), withGenres: z.number(), withText: z.number(), topGenres: z.array(countSchema) })
    .nullable(),
  userAttributes: z.array(z.object({ name: z.string(), distinct: z.number(), missing: z.number(), top: z.array(countSchema) })).nullable(),
});

export type DatasetStats = z.infer<typeof datasetStatsSchema>;

const MAX_HISTOGRAM_BUCKETS = 20;
const MAX_CURVE_POINTS = 200;
const MAX_MONTHS = 120;
const TOP_GENRES = 20;
const TOP_USER_VALUES = 12;

/** Computes the statistics page's numbers in one pass per view; JSON-serialisable. */
export function computeStats(dataset: Dataset): DatasetStats {
  const { table, numUsers, numItems } = dataset;
  const n = table.users.length;
  const userCounts = new Float64Array(numUsers);
  const itemCounts = new Float64Array(numItems);
  for (let i = 0; i < n; i++) {
    userCounts[table.users[i]]++;
    itemCounts[table.items[i]]++;
  }
  const explicit = dataset.feedback === "explicit" && n > 0;
  const sortedItems = Float64Array.from(itemCounts).sort().reverse();
  const top = Math.ceil(numItems * 0.2);
  let topSum = 0;
  for (let r = 0; r < top; r++) topSum += sortedItems[r];
  const cells = numUsers * numItems;
  const time = dataset.hasTimestamps && n > 0 ? interactionsOverTime(table.timestamps) : null;
  return {
    numUsers,
    numItems,
    numInteractions: n,
    sparsity: cells > 0 ? 1 - n / cells : 1,
    feedback: dataset.feedback,
    rating: explicit ? ratingSummary(table.ratings) : null,
    ratingHistogram: explicit ? ratingHistogram(table.ratings) : null,
    userActivity: quantiles(userCounts),
    itemActivity: quantiles(itemCounts),
    itemPopularity: longTail(sortedItems),
    topItemsShare: n > 0 ? topSum / n : 0,
    timeGranularity: time?.granularity ?? null,
    interactionsOverTime: time?.points ?? null,
    itemAttributes: dataset.items ? itemSummary(dataset.items) : null,
    userAttributes: dataset.users ? userSummary(dataset.users) : null,
  };
}

function ratingSummary(ratings: Float32Array): { mean: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < ratings.length; i++) {
    const r = ratings[i];
    sum += r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  return { mean: sum / ratings.length, min, max };
}

function ratingHistogram(ratings: Float32Array): { rating: number; count: number }[] {
  const distinct = new Map<number, number>();
  for (let i = 0; i < ratings.length; i++) {
    distinct.set(ratings[i], (distinct.get(ratings[i]) ?? 0) + 1);
    if (distinct.size > MAX_HISTOGRAM_BUCKETS) return binnedHistogram(ratings);
  }
  return [...distinct].sort((a, b) => a[0] - b[0]).map(([rating, count]) => ({ rating, count }));
}

function binnedHistogram(ratings: Float32Array): { rating: number; count: number }[] {
  const { min, max } = ratingSummary(ratings);
  const width = (max - min) / MAX_HISTOGRAM_BUCKETS;
  const counts = new Array<number>(MAX_HISTOGRAM_BUCKETS).fill(0);
  for (let i = 0; i < ratings.length; i++) counts[Math.min(MAX_HISTOGRAM_BUCKETS - 1, Math.floor((ratings[i] - min) / width))]++;
  return counts.map((count, b) => ({ rating: min + (b + 0.5) * width, count }));
}

/** min, median (mean of the middle two for even counts), mean and max. */
export function quantiles(values: Float64Array): { min: number; median: number; mean: number; max: number } {
  if (values.length === 0) return { min: 0, median: 0, mean: 0, max: 0 };
  const s = Float64Array.from(values).sort();
  const m = s.length;
  let sum = 0;
  for (let i = 0; i < m; i++) sum += s[i];
  const median = m % 2 ? s[(m - 1) / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
  return { min: s[0], median, mean: sum / m, max: s[m - 1] };
}

/** Evenly spaced ranks of the descending counts, always with rank 1 and the last rank. */
function longTail(sortedDesc: Float64Array): { rank: number; count: number }[] {
  const m = sortedDesc.length;
  if (m <= MAX_CURVE_POINTS) return Array.from(sortedDesc, (count, i) => ({ rank: i + 1, count }));
  const out: { rank: number; count: number }[] = [];
  for (let k = 0; k < MAX_CURVE_POINTS; k++) {
    const i = Math.round((k * (m - 1)) / (MAX_CURVE_POINTS - 1));
    out.push({ rank: i + 1, count: sortedDesc[i] });
  }
  return out;
}

function interactionsOverTime(timestamps: Float64Array): { granularity: "month" | "year"; points: { period: string; count: number }[] } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    if (timestamps[i] < min) min = timestamps[i];
    if (timestamps[i] > max) max = timestamps[i];
  }
  const monthIndex = (t: number) => {
    const d = new Date(t * 1000);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  };
  const first = monthIndex(min);
  const months = monthIndex(max) - first + 1;
  const yearly = months > MAX_MONTHS;
  const bucketOf = yearly ? (t: number) => Math.floor(monthIndex(t) / 12) - Math.floor(first / 12) : (t: number) => monthIndex(t) - first;
  const size = yearly ? Math.floor(monthIndex(max) / 12) - Math.floor(first / 12) + 1 : months;
  const counts = new Array<number>(size).fill(0);
  for (let i = 0; i < timestamps.length; i++) counts[bucketOf(timestamps[i])]++;
  const label = (b: number) => {
    if (yearly) return String(Math.floor(first / 12) + b);
    const m = first + b;
    return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
  };
  return { granularity: yearly ? "year" : "month", points: counts.map((count, b) => ({ period: label(b), count })) };
}

function topCounts(values: Iterable<string>, limit: number): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([value, count]) => ({ value, count }));
}

function itemSummary(items: NonNullable<Dataset["items"]>): NonNullable<DatasetStats["itemAttributes"]> {
  const genres = items.genres ?? [];
  return {
    withTitle: (items.title ?? []).filter((t) => t !== null && t !== "").length,
    withGenres: genres.filter((g) => g.length > 0).length,
    withText: (items.text ?? []).filter((t) => t !== null && t !== "").length,
    topGenres: topCounts(genres.flat(), TOP_GENRES),
  };
}

function userSummary(users: NonNullable<Dataset["users"]>): NonNullable<DatasetStats["userAttributes"]> {
  return Object.entries(users).map(([name, values]) => {
    const present = values.filter((v): v is string => v !== null);
    return {
      name,
      distinct: new Set(present).size,
      missing: values.length - present.length,
      top: topCounts(present, TOP_USER_VALUES),
    };
  });
}
