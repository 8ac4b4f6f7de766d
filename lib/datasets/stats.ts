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
  /** Width of one time bin: "month", "year", "10 years", "100 years", … (the first that needs at most 120 bins). */
  timeGranularity: z.string().nullable(),
  /**
   * Interactions per "YYYY-MM", "YYYY" or "YYYY–YYYY" bin (at most 120, calendar-aligned), gaps
   * filled with 0; null without timestamps.
   */
  interactionsOverTime: z.array(z.object({ period: z.string(), count: z.number() })).nullable(),
  itemAttributes: z
    .object({ withTitle: z.number(), withGenres: z.number(), withText: z.number(), topGenres: z.array(countSchema) })
    .nullable(),
  userAttributes: z.array(z.object({ name: z.string(), distinct: z.number(), missing: z.number(), top: z.array(countSchema) })).nullable(),
});

export type DatasetStats = z.infer<typeof datasetStatsSchema>;

const MAX_HISTOGRAM_BUCKETS = 20;
const MAX_CURVE_POINTS = 200;
/** Most bins of the activity-over-time chart, whatever the range of the timestamps. */
export const MAX_TIME_BINS = 120;
/** Bin widths in months, finest first; the last one covers the whole Date range in 55 bins. */
const TIME_BIN_MONTHS = [1, 12, 120, 1200, 12_000, 120_000];
/** Seconds representable as a Date (±100,000,000 days around 1970). */
const MAX_DATE_SECONDS = 8.64e12;
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

/**
 * Interactions per calendar-aligned bin: months, years, then decades, centuries, … — the finest
 * width needing at most MAX_TIME_BINS bins, so the output is bounded whatever the timestamps.
 * Timestamps beyond the Date range are counted at its ends; non-finite ones are skipped.
 */
function interactionsOverTime(timestamps: Float64Array): { granularity: string; points: { period: string; count: number }[] } {
  const monthIndex = (t: number) => {
    const d = new Date(Math.min(MAX_DATE_SECONDS, Math.max(-MAX_DATE_SECONDS, t)) * 1000);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  };
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (Number.isNaN(t)) continue;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  if (first > last) return { granularity: "month", points: [] };
  const firstMonth = monthIndex(first);
  const lastMonth = monthIndex(last);
  const width = TIME_BIN_MONTHS.find((w) => Math.floor(lastMonth / w) - Math.floor(firstMonth / w) < MAX_TIME_BINS) ?? TIME_BIN_MONTHS[TIME_BIN_MONTHS.length - 1];
  const base = Math.floor(firstMonth / width);
  const counts = new Array<number>(Math.min(MAX_TIME_BINS, Math.floor(lastMonth / width) - base + 1)).fill(0);
  for (let i = 0; i < timestamps.length; i++) {
    if (Number.isNaN(timestamps[i])) continue;
    counts[Math.min(counts.length - 1, Math.floor(monthIndex(timestamps[i]) / width) - base)]++;
  }
  return { granularity: binName(width), points: counts.map((count, b) => ({ period: binLabel((base + b) * width, width), count })) };
}

function binName(months: number): string {
  if (months === 1) return "month";
  if (months === 12) return "year";
  return `${months / 12} years`;
}

/** "2020-03" for a month, "2020" for a year, "2000–2099" for a wider bin. */
function binLabel(startMonth: number, months: number): string {
  const year = Math.floor(startMonth / 12);
  if (months === 1) return `${year}-${String(startMonth - year * 12 + 1).padStart(2, "0")}`;
  if (months === 12) return String(year);
  return `${year}–${year + months / 12 - 1}`;
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
