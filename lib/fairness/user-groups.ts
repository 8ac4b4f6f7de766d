import { badInput } from "../errors";

/**
 * User groups for fairness reports: one label per user (dense index) from a user attribute or
 * from training activity quantiles. Null labels (attribute missing) are left out of every group.
 */

export interface UserGrouping {
  /** "gender", "age", "activity", ... */
  by: string;
  /** One label per user of the dataset; null = unknown. */
  labels: (string | null)[];
}

/** Age bands as survey practice uses them; MovieLens 1M age codes (1, 18, 25, ...) fall in the right band. */
const AGE_BANDS: readonly [number, string][] = [
  [18, "under 18"],
  [25, "18–24"],
  [35, "25–34"],
  [45, "35–44"],
  [55, "45–54"],
  [Infinity, "55+"],
];

export function ageBand(value: string | null): string | null {
  if (value === null || value.trim() === "") return null;
  const age = Number(value);
  if (!Number.isFinite(age)) return value;
  return AGE_BANDS.find(([upper]) => age < upper)![1];
}

/** Groups from a categorical attribute; "age" with numeric values is banded. */
export function groupsByAttribute(name: string, values: readonly (string | null)[]): UserGrouping {
  const numericAge = name.toLowerCase() === "age" && values.some((v) => v !== null && v.trim() !== "" && Number.isFinite(Number(v)));
  const labels = values.map((v) => (numericAge ? ageBand(v) : v === null || v.trim() === "" ? null : v));
  return { by: name, labels };
}

/**
 * Groups from training interactions per user: `quantiles` groups of (nearly) equal size by
 * activity rank, labelled "Q1 (3–12)" with the activity range; Q1 least active; users with
 * equal activity share a group. Users without training interactions are counted (activity 0).
 */
export function groupsByActivity(activity: ArrayLike<number>, quantiles = 4): UserGrouping {
  if (!Number.isInteger(quantiles) || quantiles < 2) throw badInput(`quantiles must be an integer >= 2, got ${quantiles}`);
  const n = activity.length;
  const order = Array.from({ length: n }, (_, u) => u).sort((a, b) => activity[a] - activity[b] || a - b);
  const bucket = new Int32Array(n);
  // Equal activity stays in one group (the lower), so ranges never overlap; heavy ties may leave a quantile empty.
  order.forEach((u, rank) => (bucket[u] = rank > 0 && activity[order[rank - 1]] === activity[u] ? bucket[order[rank - 1]] : Math.floor((rank * quantiles) / n)));
  const ranges = Array.from({ length: quantiles }, () => ({ min: Infinity, max: -Infinity }));
  for (let u = 0; u < n; u++) {
    const r = ranges[bucket[u]];
    r.min = Math.min(r.min, activity[u]);
    r.max = Math.max(r.max, activity[u]);
  }
  // Quantiles left empty by ties are dropped and the rest numbered in order.
  const used = ranges.flatMap((r, q) => (r.min <= r.max ? [q] : []));
  const names: string[] = [];
  used.forEach((q, i) => (names[q] = `Q${i + 1} (${ranges[q].min === ranges[q].max ? ranges[q].min : `${ranges[q].min}–${ranges[q].max}`})`));
  return { by: "activity", labels: Array.from(bucket, (q) => names[q]) };
}
