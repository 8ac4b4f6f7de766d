import { parseError } from "../../errors";

/** How a separator is named in messages: "tab", "'::'", "','". */
export function separatorName(separator: string): string {
  return separator === "\t" ? "tab" : `'${separator}'`;
}

/**
 * Parses one RFC-4180 record. Returns null when a quoted field is still open at the end of the
 * text (the caller appends the next physical line and tries again).
 */
export function splitQuoted(text: string, delimiter: string): string[] | null {
  if (text.indexOf('"') < 0) return text.split(delimiter);
  const fields: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  const d = delimiter.length;
  for (;;) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) return null;
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
    }
    // Unquoted part (or stray text after a closing quote, kept literally).
    const next = text.indexOf(delimiter, i);
    const end = next < 0 ? n : next;
    field += text.slice(i, end);
    fields.push(field);
    if (next < 0) return fields;
    field = "";
    i = next + d;
  }
}

/** Throws the standard column-count error unless `fields` has exactly `expected` entries. */
export function expectFieldCount(fields: string[], expected: number, separator: string, line: number): void {
  if (fields.length !== expected) {
    throw parseError(line, `expected ${expected} fields separated by ${separatorName(separator)}, found ${fields.length}`);
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number; `label` names the field in the message ("rating 'abc' is not a number"). */
export function parseNumber(raw: string, label: string, line: number): number {
  const text = raw.trim();
  if (text === "") throw parseError(line, `${label} is empty`, label);
  const value = Number(text);
  if (!Number.isFinite(value) || !DECIMAL.test(text)) {
    throw parseError(line, `${label} '${clip(text)}' is not a number`, label);
  }
  return value;
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The timestamps an import accepts, in Unix seconds: 1900-01-01T00:00:00Z up to (not including)
 * 2100-01-01T00:00:00Z. Interaction logs fall well inside; anything outside is a unit mistake
 * (milliseconds) or garbage, and would only stretch every time-based chart and split.
 */
export const TIMESTAMP_RANGE = { min: Date.UTC(1900, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 - 1 } as const;
const RANGE_TEXT = `1900-01-01 to 2099-12-31 UTC, i.e. Unix seconds ${TIMESTAMP_RANGE.min} to ${TIMESTAMP_RANGE.max}`;

const inRange = (seconds: number) => seconds >= TIMESTAMP_RANGE.min && seconds <= TIMESTAMP_RANGE.max;

/**
 * Unix seconds from a number of seconds or an ISO 8601 date ("2021-03-04", "2021-03-04T10:00:00Z";
 * no zone means UTC), within TIMESTAMP_RANGE. `allowIso` false accepts numbers only.
 */
export function parseTimestamp(raw: string, line: number, allowIso: boolean): number {
  const text = raw.trim();
  if (text === "") throw parseError(line, "timestamp is empty", "timestamp");
  let seconds: number;
  if (DECIMAL.test(text)) {
    seconds = Math.floor(Number(text));
  } else {
    const m = allowIso ? ISO_DATE.exec(text) : null;
    const ms = m ? Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}${normaliseZone(m[3])}`) : NaN;
    if (!Number.isFinite(ms)) {
      const expected = allowIso ? "a unix time or an ISO date" : "a number";
      throw parseError(line, `timestamp '${clip(text)}' is not ${expected}`, "timestamp");
    }
    seconds = Math.floor(ms / 1000);
  }
  if (!inRange(seconds)) {
    const hint = DECIMAL.test(text) && inRange(seconds / 1000) ? "; it looks like milliseconds, give seconds" : "";
    throw parseError(line, `timestamp ${clip(text)} is outside the supported range (${RANGE_TEXT})${hint}`, "timestamp");
  }
  return seconds;
}

function normaliseZone(zone: string | undefined): string {
  if (!zone) return "Z";
  if (zone === "Z" || zone.includes(":")) return zone;
  return `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

/** Shortens a value quoted back in a message so one bad field cannot flood the UI. */
export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
