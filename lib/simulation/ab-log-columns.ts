/**
 * The columns of an A/B log CSV and the header names accepted for each (case-insensitive; spaces
 * and hyphens count as underscores). Columns not listed here (e.g. a propensity) are ignored.
 */
export const AB_LOG_COLUMNS = {
  user: ["user", "user_id", "userid", "uid", "visitor", "visitor_id", "customer_id"],
  arm: ["arm", "variant", "variation", "group", "bucket", "treatment", "experiment_group"],
  timestamp: ["timestamp", "time", "ts", "date", "datetime", "event_time", "visit_time"],
  impressions: ["impressions", "impression", "views", "exposures", "shown"],
  clicks: ["clicks", "click"],
  dwell_seconds: ["dwell_seconds", "dwell", "dwell_time", "dwell_s", "dwell_sec", "dwelltime", "dwell_time_seconds"],
  conversion: ["conversion", "conversions", "converted", "purchase", "purchases", "orders"],
} as const;

export type AbLogColumn = keyof typeof AB_LOG_COLUMNS;

const ALIAS_TO_COLUMN = new Map<string, AbLogColumn>(
  (Object.entries(AB_LOG_COLUMNS) as [AbLogColumn, readonly string[]][]).flatMap(([column, names]) => names.map((n) => [n, column] as const)),
);

export function normaliseHeaderName(raw: string): string {
  return raw.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/** The column a header name stands for, or undefined for an extra column. */
export function columnOf(headerName: string): AbLogColumn | undefined {
  return ALIAS_TO_COLUMN.get(normaliseHeaderName(headerName));
}

/** The delimiter a header line uses: the most frequent of comma, tab and semicolon. */
export function sniffDelimiter(header: string): string {
  let best = ",";
  let bestCount = 0;
  for (const d of [",", "\t", ";"]) {
    const count = header.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}
