import { badInput, parseError } from "../../errors";
import { expectFieldCount, parseNumber, parseTimestamp, separatorName } from "./fields";
import type { TextEncoding } from "./line-reader";
import { forEachRecord, resolveColumn, type Separator } from "./records";
import { textLimits, type ReaderContext } from "./reader";
import { RowCollector } from "./row-collector";

/** Column names (with a header) or 0-based indices as digit strings (without). */
export interface ColumnSpec {
  user: string;
  item: string;
  rating?: string;
  timestamp?: string;
}

/** How one delimited interaction file is laid out. */
export interface InteractionFileSpec {
  separator: Separator | "auto";
  quoted: boolean;
  encoding: TextEncoding;
  hasHeader: boolean;
  columns: ColumnSpec;
  /** Exact number of fields per record; otherwise the header's count or the first record's. */
  fieldCount?: number;
  /** Accept ISO 8601 dates as well as unix seconds. */
  isoTimestamps: boolean;
}

export interface InteractionFileResult {
  rows: RowCollector;
  hasRatings: boolean;
  hasTimestamps: boolean;
  separator: Separator;
}

interface Layout {
  expected: number;
  user: number;
  item: number;
  rating: number;
  timestamp: number;
}

/** Reads a delimited (user, item[, rating][, timestamp]) file into typed columns. */
export async function readInteractionFile(
  path: string,
  spec: InteractionFileSpec,
  ctx: ReaderContext,
): Promise<InteractionFileResult> {
  const rows = new RowCollector(ctx);
  let layout: Layout | null = null;
  const separator = await forEachRecord(
    path,
    { separator: spec.separator, quoted: spec.quoted, encoding: spec.encoding, ...textLimits(ctx) },
    (fields, line, sep) => {
      if (layout === null) {
        layout = resolveLayout(fields, spec, sep, line);
        if (spec.hasHeader) return;
      }
      expectFieldCount(fields, layout.expected, sep, line);
      const rating = layout.rating >= 0 ? parseNumber(fields[layout.rating], "rating", line) : 1;
      const timestamp = layout.timestamp >= 0 ? parseTimestamp(fields[layout.timestamp], line, spec.isoTimestamps) : 0;
      rows.push(fields[layout.user], fields[layout.item], rating, timestamp, line);
    },
  );
  if (rows.length === 0) throw badInput("the file has a header but no rows");
  return {
    rows,
    hasRatings: spec.columns.rating !== undefined,
    hasTimestamps: spec.columns.timestamp !== undefined,
    separator,
  };
}

function resolveLayout(first: string[], spec: InteractionFileSpec, separator: Separator, line: number): Layout {
  const header = spec.hasHeader ? first.map((h) => h.trim()) : null;
  const col = (name: string | undefined) => (name === undefined ? -1 : resolveColumn(name, header, separator, line));
  const layout: Layout = {
    expected: spec.fieldCount ?? first.length,
    user: col(spec.columns.user),
    item: col(spec.columns.item),
    rating: col(spec.columns.rating),
    timestamp: col(spec.columns.timestamp),
  };
  const needed = Math.max(layout.user, layout.item, layout.rating, layout.timestamp) + 1;
  if (spec.fieldCount === undefined && !header && first.length < needed) {
    throw parseError(line, `expected at least ${needed} fields separated by ${separatorName(separator)}, found ${first.length}`);
  }
  return layout;
}
