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
 * Unix seconds from a number of seconds or an ISO 8601 date ("2021-03-04", "2021-03-04T10:00:00Z";
 * no zone means UTC). `allowIso` false accepts numbers only.
 */
export function parseTimestamp(raw: string, line: number, allowIso: boolean): number {
  const text = raw.trim();
  if (text === "") throw parseError(line, "timestamp is empty", "timestamp");
  if (DECIMAL.test(text)) return Math.floor(Number(text));
  const m = allowIso ? ISO_DATE.exec(text) : null;
  const ms = m ? Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}${normaliseZone(m[3])}`) : NaN;
  if (!Number.isFinite(ms)) {
    const expected = allowIso ? "a unix time or an ISO date" : "a number";
    throw parseError(line, `timestamp '${clip(text)}' is not ${expected}`, "timestamp");
  }
  return Math.floor(ms / 1000);
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
