import { createHmac } from "node:crypto";
import { z } from "zod";
import { badInput } from "../errors";
import { preprocess, preprocessOptionsSchema, type DropReason, type PreprocessOptions } from "./preprocess";
import { readAmazon } from "./readers/amazon";
import { csvOptionsSchema, readCsv, type CsvOptions } from "./readers/csv";
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_TEXT_BYTES } from "./readers/line-reader";
import { readMovielens100k } from "./readers/movielens-100k";
import { readMovielensDat } from "./readers/movielens-dat";
import { readMovielensLatest } from "./readers/movielens-latest";
import type { ImportFiles, RawImport, ReaderContext } from "./readers/reader";
import type { Dataset, ItemAttributes, UserAttributes } from "./types";

export { csvOptionsSchema, type CsvOptions } from "./readers/csv";

export const importFormatSchema = z
  .enum(["movielens-100k", "movielens-dat", "movielens-latest", "amazon", "csv"])
  .describe(
    "Source format: MovieLens 100K (u.data/u.item/u.user), MovieLens 1M/10M (.dat), MovieLens latest (ratings.csv/movies.csv), Amazon reviews (JSON lines) or a generic delimited file",
  );

export type ImportFormat = z.infer<typeof importFormatSchema>;

/** The non-file parts of an import, as the upload form sends them. */
export const importInputSchema = z.object({
  format: importFormatSchema,
  csv: csvOptionsSchema.optional().describe("Layout of a generic delimited file (format 'csv' only)"),
  preprocess: preprocessOptionsSchema.optional().describe("Cleaning applied after reading"),
});

export interface ImportInput {
  format: ImportFormat;
  /** Paths of files on disk. */
  files: ImportFiles;
  csv?: CsvOptions;
  preprocess?: PreprocessOptions;
  /** Replace user ids by HMAC-SHA256(salt, id), hex, first 16 characters. */
  pseudonymiseUsers?: { salt: string };
  limits?: { maxRows?: number; maxLineBytes?: number; maxBytes?: number };
}

export interface ImportReport {
  rowsRead: number;
  rowsKept: number;
  dropped: Record<DropReason, number>;
  clipped: number;
  notes: string[];
}

export interface ImportResult {
  dataset: Dataset;
  report: ImportReport;
}

/** Attributes that identify people; removed when users are pseudonymised, flagged otherwise. */
const PII_USER_ATTRIBUTES = ["zip"];

const READERS: Record<ImportFormat, (files: ImportFiles, ctx: ReaderContext, csv: CsvOptions | undefined) => Promise<RawImport>> = {
  "movielens-100k": (files, ctx) => readMovielens100k(files, ctx, undefined),
  "movielens-dat": (files, ctx) => readMovielensDat(files, ctx, undefined),
  "movielens-latest": (files, ctx) => readMovielensLatest(files, ctx, undefined),
  amazon: (files, ctx) => readAmazon(files, ctx, undefined),
  csv: (files, ctx, csv) => {
    if (!csv) throw badInput("the csv format needs csv options naming the user and item columns");
    return readCsv(files, ctx, csv);
  },
};

/**
 * Reads, cleans and encodes a dataset from files on disk. Errors are AppErrors whose message
 * names the file (side files only), line and field.
 */
export async function importDataset(input: ImportInput): Promise<ImportResult> {
  const format = importFormatSchema.parse(input.format);
  const options = preprocessOptionsSchema.parse(input.preprocess ?? {});
  const ctx: ReaderContext = {
    maxLineBytes: input.limits?.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    maxBytes: input.limits?.maxBytes ?? DEFAULT_MAX_TEXT_BYTES,
    maxRows: input.limits?.maxRows ?? Number.MAX_SAFE_INTEGER,
    allowMissingIds: options.dropMissingIds,
  };
  const raw = await READERS[format](input.files, ctx, input.csv);
  const clean = preprocess(
    { table: raw.table, numUsers: raw.userKeys.length, numItems: raw.itemKeys.length, hasRatings: raw.hasRatings },
    options,
  );
  if (clean.rowsKept === 0) {
    throw badInput(`no interactions are left after preprocessing (read ${clean.rowsRead} rows; dropped ${describeDrops(clean.dropped)})`);
  }
  const notes = [...raw.notes, ...clean.notes];
  const pseudonymise = input.pseudonymiseUsers;
  const dataset: Dataset = {
    numUsers: clean.numUsers,
    numItems: clean.numItems,
    table: clean.table,
    userIds: Array.from(clean.userIndex, (u) => (pseudonymise ? pseudonym(raw.userKeys[u], pseudonymise.salt) : raw.userKeys[u])),
    itemIds: Array.from(clean.itemIndex, (i) => raw.itemKeys[i]),
    feedback: clean.feedback,
    hasTimestamps: raw.hasTimestamps,
  };
  if (raw.items) dataset.items = pickItems(raw.items, clean.itemIndex);
  if (raw.users) dataset.users = pickUsers(raw.users, clean.userIndex, pseudonymise !== undefined, notes);
  const report: ImportReport = {
    rowsRead: clean.rowsRead,
    rowsKept: clean.rowsKept,
    dropped: clean.dropped,
    clipped: clean.clipped,
    notes,
  };
  return { dataset, report };
}

/** Hex HMAC-SHA256 of the id keyed by the salt, first 16 characters. */
export function pseudonym(id: string, salt: string): string {
  return createHmac("sha256", salt).update(id).digest("hex").slice(0, 16);
}

function pickItems(items: ItemAttributes, index: Int32Array): ItemAttributes {
  const pick = <T>(values: T[]) => Array.from(index, (i) => values[i]);
  return {
    ...(items.title ? { title: pick(items.title) } : {}),
    ...(items.genres ? { genres: pick(items.genres) } : {}),
    ...(items.text ? { text: pick(items.text) } : {}),
  };
}

function pickUsers(users: UserAttributes, index: Int32Array, pseudonymised: boolean, notes: string[]): UserAttributes {
  const out: UserAttributes = {};
  for (const [name, values] of Object.entries(users)) {
    if (PII_USER_ATTRIBUTES.includes(name)) {
      if (pseudonymised) {
        notes.push(`user attribute '${name}' was removed: it can identify people and users are pseudonymised`);
        continue;
      }
      notes.push(`user attribute '${name}' can identify people (personal data)`);
    }
    out[name] = Array.from(index, (u) => values[u]);
  }
  return out;
}

function describeDrops(dropped: Record<DropReason, number>): string {
  const parts = Object.entries(dropped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason}`);
  return parts.length ? parts.join(", ") : "none";
}
