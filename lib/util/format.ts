/** "42 s", "3 min 5 s", "1 h 2 min"; "–" when unknown. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Metric values with 4 significant decimals, as the field reports them. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return value.toFixed(4);
}

/** Whole numbers with thousands separators: "25,000,000". */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
