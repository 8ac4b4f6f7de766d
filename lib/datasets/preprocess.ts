import { z } from "zod";
import { badInput } from "../errors";
import { groupRows } from "./group-rows";
import type { Feedback, InteractionTable } from "./types";

export const preprocessOptionsSchema = z.object({
  dedupe: z
    .enum(["keep-latest", "keep-first", "none"])
    .default("keep-latest")
    .describe(
      "Repeated (user, item) pairs: keep the latest by timestamp (ties: the later row), the earliest (ties: the earlier row), or keep all",
    ),
  dropMissingIds: z
    .boolean()
    .default(true)
    .describe("Drop and count rows with an empty user or item id instead of refusing the file"),
  ratingRange: z
    .object({
      min: z.number().describe("Lowest valid rating"),
      max: z.number().describe("Highest valid rating"),
      action: z.enum(["clip", "drop"]).default("drop").describe("Clip out-of-range ratings to the range, or drop the rows"),
    })
    .refine((r) => r.min <= r.max, { message: "ratingRange.min must not exceed ratingRange.max" })
    .optional()
    .describe("Valid rating range; ratings outside it are outliers"),
  kCore: z
    .object({
      users: z.number().int().min(1).describe("Minimum interactions per user"),
      items: z.number().int().min(1).describe("Minimum interactions per item"),
    })
    .optional()
    .describe("Repeatedly drop users and items with fewer interactions until every one has enough"),
  implicitThreshold: z
    .number()
    .optional()
    .describe("Keep ratings >= this as positives (value 1) and drop the rest; the dataset becomes implicit"),
});

export type PreprocessOptions = z.input<typeof preprocessOptionsSchema>;

export const DROP_REASONS = ["duplicates", "missingIds", "outOfRange", "belowThreshold", "kCore"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface PreprocessInput {
  /** Encoded rows; -1 marks an empty user or item id. */
  table: InteractionTable;
  numUsers: number;
  numItems: number;
  /** false when the source has no rating column (every rating is 1). */
  hasRatings: boolean;
}

export interface PreprocessResult {
  /** Kept rows in input order, ids re-encoded densely in first-seen order. */
  table: InteractionTable;
  numUsers: number;
  numItems: number;
  /** New dense user index -> input user index (to carry ids and attributes over). */
  userIndex: Int32Array;
  /** New dense item index -> input item index. */
  itemIndex: Int32Array;
  feedback: Feedback;
  rowsRead: number;
  rowsKept: number;
  dropped: Record<DropReason, number>;
  /** Ratings clipped into ratingRange. */
  clipped: number;
  notes: string[];
}

/**
 * Cleans an encoded interaction table: missing ids, outlier ratings, duplicates, implicit
 * thresholding and k-core filtering, in that order, then re-encodes ids densely. Pure: the
 * input is not modified.
 */
export function preprocess(input: PreprocessInput, options: PreprocessOptions = {}): PreprocessResult {
  const o = preprocessOptionsSchema.parse(options);
  const { table, numUsers, numItems } = input;
  const n = table.users.length;
  const keep = new Uint8Array(n).fill(1);
  const ratings = input.hasRatings ? Float32Array.from(table.ratings) : new Float32Array(n).fill(1);
  const dropped: Record<DropReason, number> = { duplicates: 0, missingIds: 0, outOfRange: 0, belowThreshold: 0, kCore: 0 };
  const notes: string[] = [];
  let clipped = 0;

  dropped.missingIds = dropMissing(table, keep, o.dropMissingIds);

  if (o.ratingRange && !input.hasRatings) notes.push("ratingRange was ignored: the data has no ratings");
  else if (o.ratingRange) {
    const { min, max, action } = o.ratingRange;
    for (let i = 0; i < n; i++) {
      if (!keep[i] || (ratings[i] >= min && ratings[i] <= max)) continue;
      if (action === "drop") {
        keep[i] = 0;
        dropped.outOfRange++;
      } else {
        ratings[i] = ratings[i] < min ? min : max;
        clipped++;
      }
    }
  }

  if (o.dedupe !== "none") dropped.duplicates = dedupe(table, keep, numUsers, numItems, o.dedupe === "keep-latest");

  if (o.implicitThreshold !== undefined) {
    if (!input.hasRatings) throw badInput("implicitThreshold needs a rating column, and the data has none");
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      if (ratings[i] >= o.implicitThreshold) ratings[i] = 1;
      else {
        keep[i] = 0;
        dropped.belowThreshold++;
      }
    }
  }

  if (o.kCore) {
    const { removed, rounds } = kCore(table, keep, numUsers, numItems, o.kCore.users, o.kCore.items);
    dropped.kCore = removed;
    notes.push(`k-core (users >= ${o.kCore.users}, items >= ${o.kCore.items}) reached a fixed point after ${rounds} rounds`);
  }

  const feedback: Feedback = input.hasRatings && o.implicitThreshold === undefined ? "explicit" : "implicit";
  return { ...reencode(table, ratings, keep, numUsers, numItems), feedback, rowsRead: n, dropped, clipped, notes };
}

function dropMissing(table: InteractionTable, keep: Uint8Array, allowed: boolean): number {
  let count = 0;
  for (let i = 0; i < keep.length; i++) {
    if (table.users[i] >= 0 && table.items[i] >= 0) continue;
    if (!allowed) throw badInput(`row ${i + 1} has an empty user or item id`);
    keep[i] = 0;
    count++;
  }
  return count;
}

/** Keeps one row per (user, item): the latest (or earliest) timestamp; ties go to file order. */
function dedupe(table: InteractionTable, keep: Uint8Array, numUsers: number, numItems: number, latest: boolean): number {
  const { start, order } = groupRows(table.users, numUsers, keep);
  const stamp = new Int32Array(numItems).fill(-1);
  const best = new Int32Array(numItems);
  let removed = 0;
  for (let u = 0; u < numUsers; u++) {
    for (let p = start[u]; p < start[u + 1]; p++) {
      const row = order[p];
      const item = table.items[row];
      if (stamp[item] !== u) {
        stamp[item] = u;
        best[item] = row;
        continue;
      }
      const other = best[item];
      const t = table.timestamps[row];
      const wins = latest ? t >= table.timestamps[other] : t < table.timestamps[other];
      keep[wins ? other : row] = 0;
      if (wins) best[item] = row;
      removed++;
    }
  }
  return removed;
}

/** Drops rows of users/items below the minimum counts until nothing changes. */
function kCore(
  table: InteractionTable,
  keep: Uint8Array,
  numUsers: number,
  numItems: number,
  minUser: number,
  minItem: number,
): { removed: number; rounds: number } {
  const userCount = new Int32Array(numUsers);
  const itemCount = new Int32Array(numItems);
  let removed = 0;
  let rounds = 0;
  for (;;) {
    rounds++;
    userCount.fill(0);
    itemCount.fill(0);
    for (let i = 0; i < keep.length; i++) {
      if (!keep[i]) continue;
      userCount[table.users[i]]++;
      itemCount[table.items[i]]++;
    }
    let changed = 0;
    for (let i = 0; i < keep.length; i++) {
      if (keep[i] && (userCount[table.users[i]] < minUser || itemCount[table.items[i]] < minItem)) {
        keep[i] = 0;
        changed++;
      }
    }
    removed += changed;
    if (changed === 0) return { removed, rounds };
  }
}

/** Copies kept rows and renumbers users and items densely in first-seen order. */
function reencode(
  table: InteractionTable,
  ratings: Float32Array,
  keep: Uint8Array,
  numUsers: number,
  numItems: number,
): Pick<PreprocessResult, "table" | "numUsers" | "numItems" | "userIndex" | "itemIndex" | "rowsKept"> {
  let kept = 0;
  for (let i = 0; i < keep.length; i++) kept += keep[i];
  const out: InteractionTable = {
    users: new Int32Array(kept),
    items: new Int32Array(kept),
    ratings: new Float32Array(kept),
    timestamps: new Float64Array(kept),
  };
  const users = new DenseMap(numUsers);
  const items = new DenseMap(numItems);
  let j = 0;
  for (let i = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    out.users[j] = users.map(table.users[i]);
    out.items[j] = items.map(table.items[i]);
    out.ratings[j] = ratings[i];
    out.timestamps[j] = table.timestamps[i];
    j++;
  }
  return {
    table: out,
    numUsers: users.size,
    numItems: items.size,
    userIndex: users.inverse(),
    itemIndex: items.inverse(),
    rowsKept: kept,
  };
}

/** old index -> new dense index, assigned in first-seen order. */
class DenseMap {
  private readonly forward: Int32Array;
  private readonly back: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.forward = new Int32Array(capacity).fill(-1);
    this.back = new Int32Array(capacity);
  }

  map(old: number): number {
    let v = this.forward[old];
    if (v < 0) {
      v = this.forward[old] = this.size++;
      this.back[v] = old;
    }
    return v;
  }

  inverse(): Int32Array {
    return this.back.slice(0, this.size);
  }
}
