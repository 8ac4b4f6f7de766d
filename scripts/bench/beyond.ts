import { existsSync } from "node:fs";
import path from "node:path";
import type { ImportFormat } from "../../lib/datasets/import";
import type { ImportFiles } from "../../lib/datasets/readers/reader";
import { splitDataset } from "../../lib/datasets/splits";
import type { Dataset } from "../../lib/datasets/types";
import { prepareSplit } from "../../lib/experiments/prepare-data";
import { groupGapTest, groupMeans, type GroupMean } from "../../lib/fairness/group-gaps";
import { exposureCounts, headExposureShare } from "../../lib/metrics/beyond";
import { buildBeyondContext } from "../../lib/metrics/beyond-context";
import type { PerUser } from "../../lib/metrics/per-user";

/** Item (and user) side files next to a ratings file, by format: genres for ILD and calibration. */
const SIDE_FILES: Partial<Record<ImportFormat, { items: string; users?: string }>> = {
  "movielens-100k": { items: "u.item", users: "u.user" },
  "movielens-dat": { items: "movies.dat", users: "users.dat" },
  "movielens-latest": { items: "movies.csv" },
};

/** The ratings file plus whichever side files of its format sit beside it. */
export function filesBeside(ratings: string, format: ImportFormat): ImportFiles {
  const side = SIDE_FILES[format];
  const beside = (name: string | undefined) => (name && existsSync(path.join(path.dirname(ratings), name)) ? path.join(path.dirname(ratings), name) : undefined);
  const items = beside(side?.items);
  const users = beside(side?.users);
  return { ratings, ...(items ? { items } : {}), ...(users ? { users } : {}) };
}

/**
 * The split's short head as ref_beyond.py prints it: how many items hold ≥ 20% of training
 * interactions, and the share of test interactions on them (what an unbiased list would expose).
 */
export function describeShortHead(dataset: Dataset, seed: number, shuffle: "reclab" | "numpy"): string {
  const rows = splitDataset(dataset.table, dataset.numUsers, { kind: "random", ratios: [0.8, 0.1, 0.1], seed, shuffle }, dataset.numItems);
  const data = prepareSplit(dataset, rows, "implicit");
  const context = buildBeyondContext({ train: data.train.train, itemIds: dataset.itemIds });
  const headItems = context.head.reduce((n, h) => n + h, 0);
  const testShare = headExposureShare(exposureCounts([data.test.indices], dataset.numItems, Infinity), context.head);
  const genres = dataset.items?.genres ? "item genres loaded" : "no item genres: ILD and miscalibration absent";
  return `short head: ${headItems} items (>= 20% of ${data.train.train.indices.length} training interactions), head test share ${testShare.toFixed(4)}; ${genres}`;
}

export interface GroupGapReport {
  attribute: string;
  metric: string;
  means: GroupMean[];
  /** The two largest groups, larger first, as ref_beyond.py pairs them (M − F, 25-34 − 18-24). */
  gap: { a: string; b: string; gap: number; p: number; permutations: number };
}

/**
 * Per-group means of per-user `metric` for every user attribute with 2 to 10 groups, and the
 * permutation test between its two largest groups (10,000 permutations, seeded).
 */
export function groupGaps(dataset: Dataset, perUser: PerUser, metric: string, seed: number): GroupGapReport[] {
  const values = perUser.values[metric];
  if (!values || !dataset.users) return [];
  const reports: GroupGapReport[] = [];
  for (const [attribute, column] of Object.entries(dataset.users)) {
    const labels = Array.from(perUser.users, (u) => column[u] ?? null);
    const means = groupMeans(values, labels);
    if (means.length < 2 || means.length > 10) continue;
    const [a, b] = [...means].sort((x, y) => y.n - x.n);
    const test = groupGapTest(values, labels, a.group, b.group, { seed });
    reports.push({ attribute, metric, means, gap: { a: a.group, b: b.group, gap: test.gap, p: test.p, permutations: test.permutations } });
  }
  return reports;
}

export function formatGroupGaps(model: string, reports: GroupGapReport[]): string {
  return reports
    .map((r) => {
      const means = r.means.map((g) => `${g.group} ${g.mean.toFixed(4)} (n ${g.n})`).join(", ");
      const gap = `${r.gap.a} − ${r.gap.b} ${r.gap.gap >= 0 ? "+" : ""}${r.gap.gap.toFixed(4)}, permutation p ${r.gap.p.toFixed(4)}`;
      return `  ${model} ${r.metric} by ${r.attribute}: ${means}; ${gap}`;
    })
    .join("\n");
}
