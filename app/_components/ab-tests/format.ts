import type { AbMetricId } from "@/lib/simulation/types";

/** A metric value as people read it: rates in percent, dwell in seconds. */
export function formatAbValue(metricId: AbMetricId, value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (metricId === "dwell_mean") return `${value.toFixed(1)} s`;
  if (metricId === "clicks_per_session") return value.toFixed(3);
  return `${(100 * value).toFixed(2)}%`;
}

/** A relative lift, signed: "+4.1%". */
export function formatLift(lift: number): string {
  if (!Number.isFinite(lift)) return "–";
  return `${lift > 0 ? "+" : ""}${(100 * lift).toFixed(1)}%`;
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return "–";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}
