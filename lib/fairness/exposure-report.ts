import { popularityOrder, shortHead } from "../metrics/beyond";

/**
 * Exposure of item groups in the stored top-K lists against their share of relevance: a slot of
 * a list is one unit of exposure; an item in several groups (genres) splits its unit evenly.
 */

/** Recommendation slots per item over every list (-1 marks an empty slot). */
export function slotCounts(items: Int32Array, numItems: number): Float64Array {
  const counts = new Float64Array(numItems);
  for (const item of items) if (item >= 0 && item < numItems) counts[item]++;
  return counts;
}

/** Short head vs long tail, as the beyond-accuracy metrics define the head (≥ 20% of training interactions). */
export function popularityGroups(popularity: ArrayLike<number>, tieRank?: ArrayLike<number>): string[][] {
  const head = shortHead(popularity, popularityOrder(popularity, tieRank));
  return Array.from(head, (h) => [h ? "short head" : "long tail"]);
}

export interface ItemGroupShare {
  group: string;
  items: number;
  /** Share of recommendation slots. */
  exposure: number;
  /** Share of test interactions (what users went on to consume). */
  relevance: number;
  /** Share of training interactions. */
  training: number;
}

/** Per item group: shares of slots, test interactions and training interactions; items in no group are skipped. */
export function exposureVsRelevance(
  groups: readonly (readonly string[])[],
  slots: ArrayLike<number>,
  relevance: ArrayLike<number>,
  training: ArrayLike<number>,
): ItemGroupShare[] {
  const acc = new Map<string, { items: number; exposure: number; relevance: number; training: number }>();
  let totalSlots = 0, totalRelevance = 0, totalTraining = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g.length === 0) continue;
    totalSlots += slots[i];
    totalRelevance += relevance[i];
    totalTraining += training[i];
    for (const name of g) {
      const a = acc.get(name) ?? { items: 0, exposure: 0, relevance: 0, training: 0 };
      a.items++;
      a.exposure += slots[i] / g.length;
      a.relevance += relevance[i] / g.length;
      a.training += training[i] / g.length;
      acc.set(name, a);
    }
  }
  const share = (x: number, total: number) => (total > 0 ? x / total : 0);
  return [...acc.entries()]
    .map(([group, a]) => ({
      group,
      items: a.items,
      exposure: share(a.exposure, totalSlots),
      relevance: share(a.relevance, totalRelevance),
      training: share(a.training, totalTraining),
    }))
    .sort((a, b) => b.training - a.training || a.group.localeCompare(b.group));
}

export interface CurvePoint {
  x: number;
  y: number;
}

/**
 * Lorenz curve of exposure: items sorted by slots ascending, x = share of items, y = share of
 * slots held by them; at most `points` + 1 points from (0, 0) to (1, 1).
 */
export function lorenzCurve(slots: ArrayLike<number>, points = 50): CurvePoint[] {
  const sorted = Float64Array.from(slots).sort();
  const n = sorted.length;
  let total = 0;
  for (const v of sorted) total += v;
  if (n === 0 || total === 0) return [{ x: 0, y: 0 }, { x: 1, y: 1 }];
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + sorted[i];
  const steps = Math.min(points, n);
  return Array.from({ length: steps + 1 }, (_, s) => {
    const at = Math.round((s * n) / steps);
    return { x: at / n, y: cum[at] / total };
  });
}

export interface LongTailPoint {
  /** Upper popularity rank of the bucket (1 = most popular item). */
  rank: number;
  /** Share of training interactions in the bucket. */
  popularity: number;
  /** Share of recommendation slots in the bucket. */
  exposure: number;
}

/** Items by training popularity (rank 1 first) in `buckets` equal rank ranges: popularity vs exposure per range. */
export function longTailExposure(popularity: ArrayLike<number>, slots: ArrayLike<number>, buckets = 40, tieRank?: ArrayLike<number>): LongTailPoint[] {
  const order = popularityOrder(popularity, tieRank);
  const n = order.length;
  let totalPop = 0, totalSlots = 0;
  for (let i = 0; i < n; i++) totalPop += popularity[i], totalSlots += slots[i];
  const count = Math.min(buckets, n);
  const out: LongTailPoint[] = [];
  for (let b = 0; b < count; b++) {
    const from = Math.floor((b * n) / count), to = Math.floor(((b + 1) * n) / count);
    let p = 0, s = 0;
    for (let r = from; r < to; r++) p += popularity[order[r]], s += slots[order[r]];
    out.push({ rank: to, popularity: totalPop > 0 ? p / totalPop : 0, exposure: totalSlots > 0 ? s / totalSlots : 0 });
  }
  return out;
}

export interface GenreShare {
  genre: string;
  /** Share of the genre in users' training histories. */
  history: number;
  /** Share of the genre in the recommendation slots. */
  recommended: number;
}

/** Genre distribution of training histories vs recommendations (each item's unit split over its genres). */
export function genreCalibration(genres: readonly (readonly string[] | null | undefined)[], training: ArrayLike<number>, slots: ArrayLike<number>): GenreShare[] {
  const groups = Array.from({ length: training.length }, (_, i) => genres[i] ?? []);
  return exposureVsRelevance(groups, slots, training, training).map((g) => ({ genre: g.group, history: g.training, recommended: g.exposure }));
}
