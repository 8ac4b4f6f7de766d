// CONTRACT STUB — replaced by the A/B log reader. Keep the exported names and shapes.
import type { ArmTotals } from "./types";

/** A refused row: 1-based line number and the column at fault, with a sentence for the user. */
export class AbLogError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const AB_LOG_LIMITS = { maxRows: 5_000_000, maxArms: 4 } as const;

/**
 * Reads an A/B log CSV (user, arm, timestamp, impressions, clicks, dwell_seconds, conversion)
 * and reduces it to per-user totals per arm. Throws AbLogError on the first bad row, so a
 * caller stores nothing unless the whole file is valid.
 */
export async function readAbLog(
  _lines: AsyncIterable<string>,
  _options: { signal?: AbortSignal; onProgress?: (rows: number) => void } = {},
): Promise<{ arms: ArmTotals[]; rows: number }> {
  throw new Error("not implemented");
}
