/**
 * CSV writing (RFC 4180) with formula-injection neutralisation: a cell that a spreadsheet would
 * evaluate (starting with = + - @, tab or carriage return) is prefixed with an apostrophe, as
 * OWASP recommends, so `=cmd|' /C calc'!A0` is shown as text instead of running.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

/** The header line, CRLF-terminated. */
export function csvHeaderLine<T>(columns: CsvColumn<T>[]): string {
  return columns.map((c) => quote(neutraliseCell(c.header))).join(",") + "\r\n";
}

/** One CRLF-terminated line per row. */
export function csvRowLines<T>(rows: T[], columns: CsvColumn<T>[]): string {
  let out = "";
  for (const row of rows) out += columns.map((c) => quote(neutraliseCell(c.value(row)))).join(",") + "\r\n";
  return out;
}

/** Rows to CSV text with a header line; numbers stay numbers, text is neutralised. */
export function toCsv<T>(rows: T[], columns: CsvColumn<T>[]): string {
  return csvHeaderLine(columns) + csvRowLines(rows, columns);
}
