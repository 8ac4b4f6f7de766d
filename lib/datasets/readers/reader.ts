import type { InteractionTable, ItemAttributes, UserAttributes } from "../types";
import type { InteractionFileResult } from "./interactions";
import type { ItemInfoBuilder, UserInfoBuilder } from "./side-info";

/** Paths on disk of the files of one import. */
export interface ImportFiles {
  ratings: string;
  items?: string;
  users?: string;
}

/** Limits and policies every reader applies the same way. */
export interface ReaderContext {
  maxLineBytes: number;
  /** Text bytes per file after decompression. */
  maxBytes: number;
  /** More rows than this is refused (TOO_LARGE). */
  maxRows: number;
  /** true: an empty user/item id becomes -1 (preprocessing drops and counts it); false: an error. */
  allowMissingIds: boolean;
}

/** The text limits of ReaderContext as line-reader options: one header line on top of maxRows. */
export function textLimits(ctx: ReaderContext): { maxLineBytes: number; maxBytes: number; maxLines: number } {
  return { maxLineBytes: ctx.maxLineBytes, maxBytes: ctx.maxBytes, maxLines: Math.min(Number.MAX_SAFE_INTEGER, ctx.maxRows + 1) };
}

/** What a reader hands to preprocessing: first-seen encoded rows plus aligned side information. */
export interface RawImport {
  /** users/items index userKeys/itemKeys; -1 where the id was empty. */
  table: InteractionTable;
  userKeys: string[];
  itemKeys: string[];
  hasRatings: boolean;
  hasTimestamps: boolean;
  items?: ItemAttributes;
  users?: UserAttributes;
  notes: string[];
}

/** One reader per source format; `options` is format-specific (only "csv" has any). */
export type FormatReader<O = undefined> = (files: ImportFiles, ctx: ReaderContext, options: O) => Promise<RawImport>;

/** Assembles a RawImport from the ratings pass and the optional side-file builders. */
export function toRawImport(
  ratings: Pick<InteractionFileResult, "rows" | "hasRatings" | "hasTimestamps">,
  items: ItemInfoBuilder | null,
  users: UserInfoBuilder | null,
  notes: string[] = [],
): RawImport {
  return {
    table: ratings.rows.toTable(),
    userKeys: ratings.rows.userIds.keys,
    itemKeys: ratings.rows.itemIds.keys,
    hasRatings: ratings.hasRatings,
    hasTimestamps: ratings.hasTimestamps,
    ...(items ? { items: items.build() } : {}),
    ...(users ? { users: users.build() } : {}),
    notes,
  };
}
