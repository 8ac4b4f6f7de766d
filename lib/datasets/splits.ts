import { z } from "zod";
import { badInput } from "../errors";
import { numpyUniforms } from "../util/numpy-random";
import { Rng } from "../util/rng";
import { groupRows } from "./group-rows";
import type { InteractionTable, Split, SplitTies } from "./types";

const ratiosSchema = z
  .tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)])
  .refine((r) => Math.abs(r[0] + r[1] + r[2] - 1) < 1e-6, { message: "train, validation and test ratios must add up to 1" })
  .default([0.8, 0.1, 0.1])
  .describe("Shares of train, validation and test");

const tieSeedSchema = z
  .number()
  .int()
  .default(42)
  .describe("Seed of the tie-break among rows with the same timestamp (never the file's row order)");

export const splitConfigSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("random"),
      ratios: ratiosSchema,
      seed: z.number().int().default(42).describe("Seed of the per-user shuffle"),
      shuffle: z
        .enum(["reclab", "numpy"])
        .default("reclab")
        .describe(
          "reclab: RecLab's seeded shuffle; numpy: each user's rows ordered by the keys np.random.default_rng(seed).random(rows) draws (np.lexsort((keys, users))), so a split made in Python with that recipe, such as refs/ref_ranking.py's, is reproduced row for row",
        ),
    })
    .describe("Per-user random holdout: each user's rows shuffled and cut by the ratios"),
  z
    .object({ kind: z.literal("temporal"), ratios: ratiosSchema, seed: tieSeedSchema })
    .describe("Global temporal: all rows sorted by time, the earliest for training and the latest for test"),
  z
    .object({ kind: z.literal("leave-one-out"), seed: tieSeedSchema })
    .describe("Per user by time: last item test, second-to-last validation, the rest train (users with < 3 rows: all train)"),
  z
    .object({
      kind: z.literal("k-fold"),
      folds: z.number().int().min(2).max(20).default(5).describe("Number of folds K"),
      fold: z.number().int().min(0).max(19).default(0).describe("Which fold (0-based, < folds) is the test part"),
      validationRatio: z.number().min(0).max(0.5).default(0.1).describe("Share of each user's non-test rows held out for validation"),
      seed: z.number().int().default(42).describe("Seed of the per-user shuffle that deals rows to folds"),
    })
    .describe("Per-user k-fold: each user's rows shuffled and dealt round-robin to K folds; one fold is test, a share of the rest validation"),
  z
    .object({
      kind: z.literal("item-cold-start"),
      ratios: ratiosSchema.describe("Shares of ITEMS for train, validation and test"),
      seed: z.number().int().default(42).describe("Seed of the item shuffle"),
    })
    .describe(
      "Item cold start: whole items held out — every row of a validation or test item is in that part, so those items never appear in training; test ranks only among the test items",
    ),
  z
    .object({
      kind: z.literal("user-cold-start"),
      ratios: ratiosSchema.describe("Shares of USERS for train, validation and test"),
      foldInRatio: z
        .number()
        .min(0.1)
        .max(0.9)
        .default(0.8)
        .describe("Share of each held-out user's rows given to the model at evaluation time (fold-in); the rest is evaluated"),
      seed: z.number().int().default(42).describe("Seed of the user shuffle and of each held-out user's fold-in draw"),
    })
    .describe(
      "User cold start (strong generalisation, as for Mult-VAE): whole users held out — validation and test users never appear in training; each one's rows are split at random into a fold-in part the model reads at evaluation time and the evaluated part",
    ),
]);

export type SplitConfig = z.input<typeof splitConfigSchema>;
export type SplitKind = z.output<typeof splitConfigSchema>["kind"];

/** Every split kind, in the order forms offer them. */
export const SPLIT_KINDS = splitConfigSchema.options.map((option) => option.shape.kind.value) as [SplitKind, ...SplitKind[]];

/** Short names for lists and filters. */
export const SPLIT_KIND_LABELS: Record<SplitKind, string> = {
  random: "random",
  temporal: "temporal",
  "leave-one-out": "leave-one-out",
  "k-fold": "k-fold",
  "item-cold-start": "item cold start",
  "user-cold-start": "user cold start",
};

/** Original ids, so time ties are broken by (user id, item id) whatever the file's row order. */
export interface SplitIds {
  userIds: readonly string[];
  itemIds: readonly string[];
}

/**
 * Splits a table's rows into train / validation / test (row indices, each sorted ascending).
 * Every row lands in exactly one part; the same config gives the same split. Time-based splits
 * order rows with equal timestamps by a seeded hash of their (user id, item id) — with `ids`,
 * the same rows in any file order give the same split — and report in `ties` how many users'
 * held-out rows tie in time with rows of an earlier part.
 */
export function splitDataset(table: InteractionTable, numUsers: number, config: SplitConfig, numItems?: number, ids?: SplitIds): Split {
  const c = splitConfigSchema.parse(config);
  if (c.kind === "k-fold") return kFoldSplit(table, numUsers, c);
  if (c.kind === "user-cold-start") return userColdStartSplit(table, numUsers, c);
  if (c.kind === "item-cold-start") {
    const itemPart = itemColdStartParts(numItems ?? maxPlusOne(table.items), c);
    return collect(Uint8Array.from(table.items, (i) => itemPart[i]));
  }
  const n = table.users.length;
  const part = new Uint8Array(n); // 0 train, 1 validation, 2 test
  if (c.kind === "temporal") {
    const order = byTime(table, Int32Array.from({ length: n }, (_, i) => i), tieKeys(table, c.seed, ids));
    const [ntrain, nval] = cutSizes(n, c.ratios);
    for (let p = ntrain; p < n; p++) part[order[p]] = p < ntrain + nval ? 1 : 2;
    return { ...collect(part), ties: temporalTies(table, numUsers, order, ntrain, nval) };
  } else {
    const { start, order } = groupRows(table.users, numUsers);
    const rng = new Rng(c.kind === "random" ? c.seed : 0);
    const numpy = c.kind === "random" && c.shuffle === "numpy";
    if (numpy && c.seed < 0) throw badInput(`the NumPy shuffle needs a non-negative seed, got ${c.seed}`, { field: "split.seed" });
    const numpyKeys = numpy ? numpyUniforms(c.seed, n) : null;
    const keys = c.kind === "leave-one-out" ? tieKeys(table, c.seed, ids) : null;
    let users = 0;
    let tiedUsers = 0;
    for (let u = 0; u < numUsers; u++) {
      const rows = order.subarray(start[u], start[u + 1]);
      const m = rows.length;
      if (c.kind === "random") {
        if (numpyKeys) rows.sort((a, b) => numpyKeys[a] - numpyKeys[b] || a - b);
        else rng.shuffle(rows);
        const [ntrain, nval] = cutSizes(m, c.ratios);
        for (let p = ntrain; p < m; p++) part[rows[p]] = p < ntrain + nval ? 1 : 2;
      } else if (m >= 3 && keys) {
        const sorted = byTime(table, rows, keys);
        part[sorted[m - 2]] = 1;
        part[sorted[m - 1]] = 2;
        const ts = (p: number) => table.timestamps[sorted[p]];
        users++;
        if (ts(m - 1) === ts(m - 2) || ts(m - 2) === ts(m - 3)) tiedUsers++;
      }
    }
    if (keys) return { ...collect(part), ties: { users, tiedUsers } };
  }
  return collect(part);
}

/**
 * Users with a held-out row whose timestamp equals the last timestamp of the part before it
 * (validation tied with train, test tied with validation): for them the cut is decided by the
 * tie-break, not by time.
 */
function temporalTies(table: InteractionTable, numUsers: number, order: Int32Array, ntrain: number, nval: number): SplitTies {
  const ts = table.timestamps;
  const heldOut = new Uint8Array(numUsers);
  const tied = new Uint8Array(numUsers);
  const boundary = (p: number) => (p > 0 ? ts[order[p - 1]] : Number.NaN);
  for (let p = ntrain; p < order.length; p++) {
    const u = table.users[order[p]];
    heldOut[u] = 1;
    const previousPartEnd = p < ntrain + nval ? boundary(ntrain) : boundary(ntrain + nval);
    if (ts[order[p]] === previousPartEnd) tied[u] = 1;
  }
  return { users: heldOut.reduce((a, b) => a + b, 0), tiedUsers: tied.reduce((a, b) => a + b, 0) };
}

/**
 * A seeded 32-bit key per row from its (user id, item id): rows that tie in time are ordered by
 * it, so the order does not depend on where the file lists them (a file sorted by item would
 * otherwise hand every tied user the same "last" items). Without ids, dense indices stand in.
 */
function tieKeys(table: InteractionTable, seed: number, ids?: SplitIds): Uint32Array {
  const hashIds = (list: readonly string[] | undefined, count: number) =>
    Uint32Array.from({ length: count }, (_, i) => (list ? fnv1a(list[i]) : mix32(i + 0x51ed27)));
  const userHash = hashIds(ids?.userIds, maxPlusOne(table.users));
  const itemHash = hashIds(ids?.itemIds, maxPlusOne(table.items));
  const keys = new Uint32Array(table.users.length);
  for (let r = 0; r < keys.length; r++) keys[r] = mix32(mix32(userHash[table.users[r]] ^ seed) ^ itemHash[table.items[r]]);
  return keys;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A short human label, e.g. "per-user random 80/10/10, seed 42". */
export function describeSplit(config: SplitConfig): string {
  const c = splitConfigSchema.parse(config);
  const pct = (r: number[]) => r.map((x) => String(Math.round(x * 1000) / 10)).join("/");
  switch (c.kind) {
    case "random":
      return `per-user random ${pct(c.ratios)}, seed ${c.seed}${c.shuffle === "numpy" ? " (NumPy shuffle)" : ""}`;
    case "temporal":
      return `global temporal ${pct(c.ratios)}`;
    case "leave-one-out":
      return "per-user leave-one-out by time (last item test, second-to-last validation)";
    case "item-cold-start":
      return `item cold start: items ${pct(c.ratios)} (whole items held out; test ranks among test items only), seed ${c.seed}`;
    case "user-cold-start":
      return `user cold start: users ${pct(c.ratios)}, ${pct([c.foldInRatio])}% of each held-out user's rows as fold-in, seed ${c.seed}`;
    case "k-fold":
      return `per-user ${c.folds}-fold, fold ${c.fold + 1} as test, ${pct([c.validationRatio])}% of the rest validation, seed ${c.seed}`;
  }
}

/**
 * Per-user folds: the same seed deals every user's rows to the same folds whichever fold is
 * test, so the K splits of one seed partition each user's rows. A random per-user offset keeps
 * users with fewer rows than folds from always landing in the first folds.
 */
function kFoldSplit(table: InteractionTable, numUsers: number, c: Extract<z.output<typeof splitConfigSchema>, { kind: "k-fold" }>): Split {
  if (c.fold >= c.folds) throw badInput(`split.fold: fold ${c.fold} does not exist with ${c.folds} folds (0-based)`, { field: "split.fold" });
  const part = new Uint8Array(table.users.length);
  const { start, order } = groupRows(table.users, numUsers);
  const rng = new Rng(c.seed);
  for (let u = 0; u < numUsers; u++) {
    const rows = rng.shuffle(order.subarray(start[u], start[u + 1]));
    const offset = rng.int(c.folds);
    const rest: number[] = [];
    for (let p = 0; p < rows.length; p++) {
      if ((p + offset) % c.folds === c.fold) part[rows[p]] = 2;
      else rest.push(rows[p]);
    }
    const nval = Math.min(rest.length, roundHalfEven(rest.length * c.validationRatio));
    for (let p = rest.length - nval; p < rest.length; p++) part[rest[p]] = 1;
  }
  return collect(part);
}

/**
 * User cold start: users shuffled with the seed and cut by the ratios; a training user's rows are
 * all train. A held-out user's rows are shuffled (same seed, drawn after the user order) and the
 * first round(m × foldInRatio) become fold-in (at most m − 1, so at least one row is evaluated;
 * a user with one row gives it as fold-in and is not evaluated), the rest validation or test.
 */
function userColdStartSplit(table: InteractionTable, numUsers: number, c: Extract<z.output<typeof splitConfigSchema>, { kind: "user-cold-start" }>): Split {
  const rng = new Rng(c.seed);
  const order = rng.shuffle(Int32Array.from({ length: numUsers }, (_, u) => u));
  const [ntrain, nval] = cutSizes(numUsers, c.ratios);
  const userPart = new Uint8Array(numUsers);
  for (let p = ntrain; p < numUsers; p++) userPart[order[p]] = p < ntrain + nval ? 1 : 2;
  const part = new Uint8Array(table.users.length); // 0 train, 1 validation, 2 test, 3 fold-in
  const { start, order: rowsByUser } = groupRows(table.users, numUsers);
  for (let u = 0; u < numUsers; u++) {
    if (userPart[u] === 0) continue;
    const rows = rng.shuffle(rowsByUser.subarray(start[u], start[u + 1]));
    const m = rows.length;
    const foldIn = m <= 1 ? m : Math.min(m - 1, roundHalfEven(m * c.foldInRatio));
    for (let p = 0; p < m; p++) part[rows[p]] = p < foldIn ? 3 : userPart[u];
  }
  return collect(part);
}

/**
 * The part of every item under an item cold-start split (0 train, 1 validation, 2 test): items
 * shuffled with the seed and cut by the ratios. The runner reads it to know the candidate items.
 */
export function itemColdStartParts(numItems: number, config: SplitConfig): Uint8Array {
  const c = splitConfigSchema.parse(config);
  if (c.kind !== "item-cold-start") throw badInput(`itemColdStartParts needs an item-cold-start split, got "${c.kind}"`);
  const order = new Rng(c.seed).shuffle(Int32Array.from({ length: numItems }, (_, i) => i));
  const [ntrain, nval] = cutSizes(numItems, c.ratios);
  const part = new Uint8Array(numItems);
  for (let p = ntrain; p < numItems; p++) part[order[p]] = p < ntrain + nval ? 1 : 2;
  return part;
}

function maxPlusOne(a: Int32Array): number {
  let m = -1;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m + 1;
}

/** Python's round (half to even), so counts match the reference split in refs/ref_ranking.py. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function cutSizes(n: number, ratios: [number, number, number]): [number, number] {
  const ntrain = Math.min(n, roundHalfEven(n * ratios[0]));
  const nval = Math.min(n - ntrain, roundHalfEven(n * ratios[1]));
  return [ntrain, nval];
}

/** A copy of `rows` sorted by timestamp, ties by key (row index only for identical rows). */
function byTime(table: InteractionTable, rows: Int32Array, keys: Uint32Array): Int32Array {
  const ts = table.timestamps;
  return Int32Array.from(rows).sort((a, b) => ts[a] - ts[b] || keys[a] - keys[b] || a - b);
}

function collect(part: Uint8Array): Split {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < part.length; i++) counts[part[i]]++;
  const out = counts.map((c) => new Int32Array(c));
  const at = [0, 0, 0, 0];
  for (let i = 0; i < part.length; i++) out[part[i]][at[part[i]]++] = i;
  return { train: out[0], validation: out[1], test: out[2], ...(counts[3] > 0 ? { foldIn: out[3] } : {}) };
}
