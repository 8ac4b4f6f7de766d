import { preprocessOptionsSchema } from "./preprocess";
import type { ImportReport } from "./import";

const DEDUPE_RULES = {
  "keep-latest": "kept the latest by timestamp (ties: the later row in the file)",
  "keep-first": "kept the earliest by timestamp (ties: the earlier row in the file)",
  none: "all kept",
} as const;

/**
 * What cleaning did to an import, in sentences: duplicates merged and the rule used, then every
 * other drop. Read from the stored preprocessing record ({ options, report }), so the import
 * summary, the dataset page, the data sheet and the benchmark header say the same thing.
 */
export function describeCleaning(options: unknown, report: Pick<ImportReport, "rowsRead" | "rowsKept" | "dropped" | "clipped">): string[] {
  const o = preprocessOptionsSchema.safeParse(options ?? {});
  const dedupe = o.success ? o.data.dedupe : "keep-latest";
  const d = report.dropped;
  const lines = [
    dedupe === "none"
      ? "Repeated (user, item) pairs: not merged (all rows kept)."
      : `${count(d.duplicates, "duplicate (user, item) row")} merged — ${DEDUPE_RULES[dedupe]}.`,
  ];
  if (d.missingIds > 0) lines.push(`${count(d.missingIds, "row")} without a user or item id dropped.`);
  if (d.outOfRange > 0) lines.push(`${count(d.outOfRange, "rating")} outside the valid range dropped.`);
  if (report.clipped > 0) lines.push(`${count(report.clipped, "rating")} clipped into the valid range.`);
  if (d.belowThreshold > 0) lines.push(`${count(d.belowThreshold, "row")} below the implicit threshold dropped.`);
  if (d.kCore > 0) lines.push(`${count(d.kCore, "row")} removed by k-core filtering.`);
  lines.push(`${report.rowsKept.toLocaleString("en-US")} of ${report.rowsRead.toLocaleString("en-US")} rows kept.`);
  return lines;
}

/** The cleaning sentences of a dataset's stored preprocessing record, or none when it has no import report (synthetic data). */
export function describeStoredCleaning(recorded: unknown): string[] {
  if (!recorded || typeof recorded !== "object") return [];
  const { options, report } = recorded as { options?: unknown; report?: ImportReport };
  if (!report || typeof report.rowsRead !== "number" || !report.dropped) return [];
  return describeCleaning(options, report);
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}
