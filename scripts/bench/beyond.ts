import { existsSync } from "node:fs";
import path from "node:path";
import type { ImportFormat } from "../../lib/datasets/import";
import type { ImportFiles } from "../../lib/datasets/readers/reader";
import { splitDataset } from "../../lib/datasets/splits";
import type { Dataset } from "../../lib/datasets/types";
import { prepareSplit } from "../../lib/experiments/prepare-data";
import { exposureCounts, headExposureShare } from "../../lib/metrics/beyond";
import { buildBeyondContext } from "../../lib/metrics/beyond-context";

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
