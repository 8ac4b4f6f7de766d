/** A plain fixed-width text table: first column left-aligned, the others right-aligned. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export const fixed = (x: number | undefined, digits: number) => (x === undefined || !Number.isFinite(x) ? "-" : x.toFixed(digits));

/** Beyond-accuracy columns of the ranking bench, in ref_beyond.py's order (AUC, not in it, last). */
export const BEYOND_COLUMNS = ["coverage", "gini", "entropy", "arp", "aplt", "novelty", "ild", "miscalibration", "serendipity", "head-exposure"];

/** Model rows × beyond-accuracy metrics at K, AUC last; "-" where a metric is absent. */
export function formatBeyondTable(rows: { displayName: string; metrics: Record<string, number> }[], k: number): string {
  const header = ["model", ...BEYOND_COLUMNS.map((m) => `${m}@${k}`), "auc"];
  const cells = rows.map((r) => [r.displayName, ...BEYOND_COLUMNS.map((m) => fixed(r.metrics[`${m}@${k}`], 4)), fixed(r.metrics.auc, 4)]);
  return formatTable(header, cells);
}
