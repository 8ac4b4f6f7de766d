import { AppError, parseError } from "../../errors";
import { clip, separatorName, splitQuoted } from "./fields";
import { forEachLine, type TextEncoding } from "./line-reader";

export type Separator = "," | "\t" | ";" | "|" | "::";

export interface RecordOptions {
  /** "auto" picks the most frequent of , TAB ; | on the first line. */
  separator: Separator | "auto";
  /** RFC-4180 double quotes (records may then span physical lines). */
  quoted: boolean;
  encoding: TextEncoding;
  maxLineBytes: number;
  maxBytes?: number;
  maxLines?: number;
  /** Records with more fields than this are refused. */
  maxColumns?: number;
}

export const DEFAULT_MAX_COLUMNS = 1000;

/** Called per record with its fields, the 1-based physical line where it starts, and the separator. */
export type RecordHandler = (fields: string[], line: number, separator: Separator) => void;

const AUTO_CANDIDATES: Separator[] = [",", "\t", ";", "|"];

/**
 * Streams a delimited file record by record. Returns the separator used (resolved when "auto").
 * A quoted field left open at the end of the file is an error naming the line it started on.
 */
export async function forEachRecord(path: string, options: RecordOptions, onRecord: RecordHandler): Promise<Separator> {
  let separator: Separator | null = options.separator === "auto" ? null : options.separator;
  let pending = "";
  let pendingLine = 0;
  const maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
  const emit = (fields: string[], line: number, sep: Separator) => {
    if (fields.length > maxColumns) throw parseError(line, `${fields.length} columns; at most ${maxColumns} are accepted`);
    onRecord(fields, line, sep);
  };
  const { encoding, maxLineBytes, maxBytes, maxLines } = options;
  await forEachLine(path, { encoding, maxLineBytes, maxBytes, maxLines }, (text, line) => {
    const sep = (separator ??= detectSeparator(text));
    if (!options.quoted) {
      emit(text.split(sep), line, sep);
      return;
    }
    const record = pending === "" ? text : `${pending}\n${text}`;
    const start = pending === "" ? line : pendingLine;
    const fields = splitQuoted(record, sep);
    if (fields) {
      pending = "";
      emit(fields, start, sep);
    } else {
      if (record.length > options.maxLineBytes) throw parseError(start, `line is longer than ${options.maxLineBytes} bytes`);
      pending = record;
      pendingLine = start;
    }
  });
  if (pending !== "") throw parseError(pendingLine, "a quoted field is not closed");
  return separator ?? ",";
}

/** The candidate separator occurring most often in the line (outside quotes); "," on a tie at 0. */
export function detectSeparator(line: string): Separator {
  const unquoted = line.replace(/"[^"]*"/g, "");
  let best: Separator = ",";
  let bestCount = 0;
  for (const s of AUTO_CANDIDATES) {
    const count = unquoted.split(s).length - 1;
    if (count > bestCount) {
      best = s;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Resolves a column given by header name (exact, then case-insensitive) or, without a header,
 * by 0-based index written as digits.
 */
export function resolveColumn(spec: string, header: string[] | null, separator: string, line: number): number {
  if (header) {
    let i = header.indexOf(spec);
    if (i < 0) i = header.findIndex((h) => h.trim().toLowerCase() === spec.trim().toLowerCase());
    if (i >= 0) return i;
    const found = header.map((h) => `'${clip(h, 30)}'`).join(", ");
    const hint = header.length === 1 ? ` (is the separator ${separatorName(separator)} right?)` : "";
    throw parseError(line, `the header has no column '${spec}'; found ${found}${hint}`, spec);
  }
  if (!/^\d+$/.test(spec)) {
    throw new AppError("BAD_INPUT", `column '${spec}' must be a 0-based index (digits) when the file has no header`);
  }
  return Number(spec);
}

/**
 * Runs a reader for one of several files and prefixes its BAD_INPUT messages with the file's
 * role, e.g. "u.item line 4: ..." or "u.item: the file is empty".
 */
export async function withFileLabel<T>(label: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof AppError && (e.code === "BAD_INPUT" || e.code === "TOO_LARGE")) {
      const message = e.message.startsWith("line ") ? `${label} ${e.message}` : `${label}: ${e.message}`;
      throw new AppError(e.code, message, { ...e.details, file: label });
    }
    throw e;
  }
}
