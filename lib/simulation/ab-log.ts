import { AppError } from "../errors";
import { clip, parseTimestamp, splitQuoted, TIMESTAMP_RANGE } from "../datasets/readers/fields";
import { forEachLine } from "../datasets/readers/line-reader";
import { AB_LOG_COLUMNS, columnOf, sniffDelimiter, type AbLogColumn } from "./ab-log-columns";
import { AbLogUsers } from "./ab-log-users";
import type { ArmTotals } from "./types";

/**
 * A refused row: 1-based line number and the column at fault, with a sentence for the user
 * ("line 1532, clicks: 'abc' is not a non-negative integer"). An AppError (BAD_INPUT, HTTP 400).
 */
export class AbLogError extends AppError {
  constructor(
    readonly line: number,
    readonly field: string,
    message: string,
  ) {
    super("BAD_INPUT", message, { line, field });
    this.name = "AbLogError";
  }
}

export const AB_LOG_LIMITS = { maxRows: 5_000_000, maxArms: 4 } as const;

export interface AbLogOptions {
  signal?: AbortSignal;
  /** Called every PROGRESS_EVERY rows with the rows read so far. */
  onProgress?: (rows: number) => void;
  /** Row limit, AB_LOG_LIMITS.maxRows unless lowered (e.g. by a plan or a test). */
  maxRows?: number;
}

export interface AbLogResult {
  arms: ArmTotals[];
  rows: number;
}

const PROGRESS_EVERY = 50_000;
const REQUIRED = Object.keys(AB_LOG_COLUMNS) as AbLogColumn[];
/** Arm names that make an arm the control (arm 0) wherever it first appears. */
const CONTROL_NAMES = new Set(["control", "baseline"]);
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function fail(line: number, field: string, detail: string): never {
  throw new AbLogError(line, field, `line ${line}, ${field}: ${detail}`);
}

/** A non-negative integer of up to 15 digits, or -1. */
function parseDigits(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15) return -1;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** A non-negative whole number ("12", " 12 ", "12.0" as some exports write it), or -1. */
function parseCount(raw: string): number {
  const fast = parseDigits(raw);
  if (fast >= 0) return fast;
  const text = raw.trim();
  const value = Number(text);
  return DECIMAL.test(text) && Number.isSafeInteger(value) && value >= 0 ? value : -1;
}

/**
 * Reduces an A/B log, one CSV record at a time, to per-user totals per arm. One row is one
 * visit of a user: visits = rows; a user "returned" when they have rows with at least two
 * distinct timestamps. Header names are matched case-insensitively against AB_LOG_COLUMNS;
 * comma, tab or semicolon separated; RFC 4180 quotes (a quoted field may span lines). Every
 * column is required; extra columns are ignored. Arms are ordered by first appearance, except
 * that an arm named "control" or "baseline" (any case) comes first: it is the control.
 * The first bad row throws AbLogError, so nothing is kept from an invalid file.
 */
export class AbLogReader {
  private header: string[] | null = null;
  private delimiter = ",";
  /** Position of each required column in a record. */
  private at = new Int32Array(REQUIRED.length);
  private pending = "";
  private pendingLine = 0;
  private readonly armIndex = new Map<string, number>();
  private readonly armNames: string[] = [];
  private readonly users = new AbLogUsers();
  private lastLine = 0;
  private readonly maxRows: number;
  rows = 0;

  constructor(private readonly options: AbLogOptions = {}) {
    this.maxRows = Math.min(options.maxRows ?? AB_LOG_LIMITS.maxRows, AB_LOG_LIMITS.maxRows);
  }

  /** One physical line (1-based `line`); blank lines are skipped. */
  accept(raw: string, line: number): void {
    this.lastLine = line;
    let text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (this.pending) {
      text = `${this.pending}\n${text}`;
      line = this.pendingLine;
    } else if (text.trim() === "") {
      return;
    }
    if (!this.header) this.delimiter = sniffDelimiter(text);
    const fields = splitQuoted(text, this.delimiter);
    if (fields === null) {
      this.pending = text;
      this.pendingLine = line;
      return;
    }
    this.pending = "";
    if (!this.header) this.readHeader(fields, line);
    else this.readRow(fields, line);
  }

  private readHeader(names: string[], line: number): void {
    const found = new Map<AbLogColumn, number>();
    names.forEach((name, i) => {
      const column = columnOf(name);
      if (!column) return;
      if (found.has(column)) fail(line, column, `the header names the ${column} column twice ('${clip(names[found.get(column) ?? 0])}' and '${clip(name)}')`);
      found.set(column, i);
    });
    REQUIRED.forEach((column, k) => {
      const i = found.get(column);
      if (i === undefined) {
        fail(line, column, `the header has no ${column} column (accepted names: ${AB_LOG_COLUMNS[column].join(", ")}); found ${names.map((n) => `'${clip(n.trim())}'`).join(", ")}`);
      }
      this.at[k] = i;
    });
    this.header = names;
  }

  private readRow(fields: string[], line: number): void {
    if (++this.rows > this.maxRows) {
      throw new AbLogError(line, "row", `line ${line}: the log has more than ${this.maxRows.toLocaleString("en-US")} rows; it was refused`);
    }
    const header = this.header as string[];
    if (fields.length !== header.length) {
      const missing = REQUIRED.find((_, k) => this.at[k] >= fields.length);
      fail(line, missing ?? "row", `the row has ${fields.length} fields but the header has ${header.length}`);
    }
    const at = this.at;
    const user = fields[at[0]].trim();
    if (user === "") fail(line, "user", "is empty");
    const armName = fields[at[1]].trim();
    if (armName === "") fail(line, "arm", "is empty");
    const timestamp = this.timestamp(fields[at[2]], line);
    const impressions = this.count(fields[at[3]], line, "impressions");
    const clicks = this.count(fields[at[4]], line, "clicks");
    if (clicks > impressions) fail(line, "clicks", `${clicks} clicks exceed the ${impressions} impressions of the visit`);
    const dwell = this.dwell(fields[at[5]], line);
    const conversion = this.conversion(fields[at[6]], line);

    const arm = this.arm(armName, line);
    const users = this.users;
    const u = users.slot(user, arm, timestamp, line);
    if (users.arm[u] !== arm) {
      fail(line, "arm", `user '${clip(user)}' is in arm '${clip(armName)}' here but in arm '${clip(this.armNames[users.arm[u]])}' on line ${users.firstLine[u]}; a user belongs to one arm`);
    }
    users.visits[u]++;
    users.impressions[u] += impressions;
    users.clicks[u] += clicks;
    users.dwell[u] += dwell;
    users.conversions[u] += conversion;
    if (timestamp !== users.firstTimestamp[u]) users.returned[u] = 1;

    if (this.rows % PROGRESS_EVERY === 0) {
      this.options.signal?.throwIfAborted();
      this.options.onProgress?.(this.rows);
    }
  }

  private arm(name: string, line: number): number {
    const known = this.armIndex.get(name);
    if (known !== undefined) return known;
    if (this.armNames.length === AB_LOG_LIMITS.maxArms) {
      fail(line, "arm", `'${clip(name)}' would be arm ${this.armNames.length + 1}; at most ${AB_LOG_LIMITS.maxArms} arms are supported (${this.armNames.map((n) => `'${clip(n)}'`).join(", ")} so far)`);
    }
    this.armIndex.set(name, this.armNames.length);
    this.armNames.push(name);
    return this.armNames.length - 1;
  }

  private count(raw: string, line: number, field: string): number {
    const value = parseCount(raw);
    if (value < 0) fail(line, field, `'${clip(raw.trim())}' is not a non-negative integer`);
    return value;
  }

  private timestamp(raw: string, line: number): number {
    // Fast path: 9–10 digit Unix seconds from 1973 to the end of 2099 (TIMESTAMP_RANGE.max).
    if (raw.length >= 9 && raw.length <= 10) {
      const seconds = parseDigits(raw);
      if (seconds >= 0 && seconds <= TIMESTAMP_RANGE.max) return seconds;
    }
    if (raw.trim() === "") fail(line, "timestamp", "is empty");
    try {
      return parseTimestamp(raw, line, true);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return fail(line, "timestamp", e.message.replace(/^line \d+: timestamp /, ""));
    }
  }

  private dwell(raw: string, line: number): number {
    const text = raw.trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value) || !DECIMAL.test(text)) fail(line, "dwell_seconds", `'${clip(text)}' is not a number of seconds`);
    if (value < 0) fail(line, "dwell_seconds", `${clip(text)} is negative`);
    return value;
  }

  private conversion(raw: string, line: number): number {
    const value = parseCount(raw);
    if (value >= 0) return value;
    const word = raw.trim().toLowerCase();
    if (word === "true" || word === "yes") return 1;
    if (word === "false" || word === "no") return 0;
    return fail(line, "conversion", `'${clip(raw.trim())}' is not a count or true/false`);
  }

  /** Checks the whole log and returns per-user totals per arm (control first). */
  finish(): AbLogResult {
    if (this.pending) fail(this.pendingLine, "row", "a quoted field is never closed");
    if (!this.header) throw new AbLogError(1, "header", "line 1, header: the file is empty");
    if (this.rows === 0) throw new AbLogError(this.lastLine, "row", `line ${this.lastLine}: the log has a header but no rows`);
    const names = this.armNames;
    if (names.length < 2) {
      fail(this.lastLine, "arm", `the log has only one arm ('${clip(names[0])}'); an A/B test compares 2 to ${AB_LOG_LIMITS.maxArms} arms`);
    }
    const order = names.map((_, i) => i);
    const control = order.find((i) => CONTROL_NAMES.has(names[i].toLowerCase()));
    if (control !== undefined) order.unshift(...order.splice(control, 1));
    return { arms: this.users.toArmTotals(names, order), rows: this.rows };
  }
}

/**
 * Reads an A/B log CSV (user, arm, timestamp, impressions, clicks, dwell_seconds, conversion)
 * and reduces it to per-user totals per arm. Throws AbLogError on the first bad row, so a
 * caller stores nothing unless the whole file is valid. Rules: AbLogReader.
 */
export async function readAbLog(lines: AsyncIterable<string>, options: AbLogOptions = {}): Promise<AbLogResult> {
  const reader = new AbLogReader(options);
  let line = 0;
  for await (const text of lines) reader.accept(text, ++line);
  options.signal?.throwIfAborted();
  return reader.finish();
}

/**
 * readAbLog over a file on disk (gzip detected), through the dataset importer's line reader:
 * binary content, invalid UTF-8 and over-long lines are refused there, and no async hop is
 * taken per line.
 */
export async function readAbLogFile(path: string, options: AbLogOptions = {}): Promise<AbLogResult> {
  const reader = new AbLogReader(options);
  await forEachLine(path, { encoding: "utf-8", maxLines: (options.maxRows ?? AB_LOG_LIMITS.maxRows) + 1_000 }, (text, line) => reader.accept(text, line));
  options.signal?.throwIfAborted();
  return reader.finish();
}
