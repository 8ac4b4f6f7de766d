import { z } from "zod";
import { separatorName } from "./fields";
import { readInteractionFile } from "./interactions";
import { toRawImport, type FormatReader } from "./reader";

const columnSchema = z
  .string()
  .trim()
  .min(1)
  .describe("A header name, or a 0-based column index written as digits when the file has no header");

export const csvOptionsSchema = z.object({
  delimiter: z
    .enum([",", "\t", ";", "|", "auto"])
    .default("auto")
    .describe("Field separator; 'auto' picks the most frequent of , TAB ; | on the first line"),
  hasHeader: z.boolean().default(true).describe("Whether the first line names the columns"),
  encoding: z.enum(["utf-8", "latin1"]).default("utf-8").describe("Text encoding of the file"),
  columns: z
    .object({
      user: columnSchema.describe("User id column"),
      item: columnSchema.describe("Item id column"),
      rating: columnSchema.optional().describe("Rating column; without one every row is an implicit positive"),
      timestamp: columnSchema
        .optional()
        .describe("Timestamp column: unix seconds or ISO 8601 dates (no zone means UTC)"),
    })
    .describe("Which columns hold the user, item, rating and timestamp"),
});

export type CsvOptions = z.input<typeof csvOptionsSchema>;

/** Generic delimited interactions (RFC-4180 quoting), columns chosen by name or index. */
export const readCsv: FormatReader<CsvOptions> = async (files, ctx, options) => {
  const o = csvOptionsSchema.parse(options);
  const ratings = await readInteractionFile(
    files.ratings,
    {
      separator: o.delimiter,
      quoted: true,
      encoding: o.encoding,
      hasHeader: o.hasHeader,
      columns: o.columns,
      isoTimestamps: true,
    },
    ctx,
  );
  const notes: string[] = [];
  if (o.delimiter === "auto") notes.push(`detected delimiter ${separatorName(ratings.separator)}`);
  if (files.items || files.users) notes.push("the csv format reads only the ratings file; items/users files were ignored");
  return toRawImport(ratings, null, null, notes);
};
