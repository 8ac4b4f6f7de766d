import { isHigherBetter, metricLabel, orderMetricKeys } from "../metrics/registry";
import type { Direction, ReportCell, ReportChart, ReportColumn, ReportTable, ReportText } from "./document";

/** Metric values carry 4 decimals everywhere in the UI (lib/util/format.ts formatMetric). */
export const METRIC_DIGITS = 4;

export const direction = (key: string): Direction => (isHigherBetter(key) ? "higher" : "lower");
export const directionWords = (key: string) => (isHigherBetter(key) ? "higher is better" : "lower is better");

/** One row per metric: its label as the UI shows it ("NDCG@10"), the value, and which way is better. */
export function metricsTable(id: string, caption: string, metrics: Record<string, number>): ReportTable {
  return {
    type: "table",
    id,
    caption,
    columns: [
      { key: "metric", label: "Metric" },
      { key: "value", label: "Value", numeric: true, digits: METRIC_DIGITS },
      { key: "better", label: "Better" },
    ],
    rows: orderMetricKeys(Object.keys(metrics)).map((key) => [metricLabel(key), finite(metrics[key]), directionWords(key)]),
  };
}

/** A metric column of a wide table (one column per metric), with its direction. */
export function metricColumn(key: string): ReportColumn {
  return { key, label: metricLabel(key), numeric: true, digits: METRIC_DIGITS, direction: direction(key) };
}

/** Name/value rows of hyperparameters or settings; nested values as compact JSON. */
export function settingsTable(id: string, caption: string, settings: Record<string, unknown>): ReportTable {
  return {
    type: "table",
    id,
    caption,
    columns: [{ key: "setting", label: "Setting" }, { key: "value", label: "Value" }],
    rows: Object.entries(settings).map(([name, value]) => [name, cellOf(value)]),
  };
}

export const text = (body: string, tone: ReportText["tone"] = "plain"): ReportText => ({ type: "text", text: body, tone });

/** A number as a cell; NaN and infinities (which JSON cannot carry) become empty. */
export const finite = (value: number | null | undefined): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

export function cellOf(value: unknown): ReportCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return finite(value);
  if (typeof value === "string") return value;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** A line chart of learning curves keyed by series, over steps (epochs). */
export function curvesChart(id: string, caption: string, curves: { key: string; label: string; points: { step: number; value: number }[] }[], yLabel: string): ReportChart | null {
  const steps = new Map<number, Record<string, number | null>>();
  for (const curve of curves) {
    for (const p of curve.points) {
      const row = steps.get(p.step) ?? { step: p.step };
      row[curve.key] = finite(p.value);
      steps.set(p.step, row);
    }
  }
  if (steps.size === 0) return null;
  return {
    type: "chart",
    id,
    caption,
    kind: "line",
    xKey: "step",
    xLabel: "epoch",
    yLabel,
    series: curves.map((c) => ({ key: c.key, label: c.label })),
    points: [...steps.values()].sort((a, b) => (a.step as number) - (b.step as number)),
  };
}
