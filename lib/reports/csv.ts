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

/** Rows to CSV text with a header line; numbers stay numbers, text is neutralised. */
export function toCsv<T>(rows: T[], columns: { header: string; value: (row: T) => unknown }[]): string {
  const lines = [columns.map((c) => quote(neutraliseCell(c.header))).join(",")];
  for (const row of rows) lines.push(columns.map((c) => quote(neutraliseCell(c.value(row)))).join(","));
  return lines.join("\r\n") + "\r\n";
}
