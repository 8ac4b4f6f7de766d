import { metricLabel, parseMetricKey } from "../../metrics/registry";
import type { ComparisonView } from "../../server/dto";
import { curvesChart, finite, metricColumn, text } from "../blocks";
import { REPORT_SCHEMA_VERSION, type ReportBlock, type ReportChart, type ReportDocument, type ReportTable } from "../document";
import { provenance } from "../provenance";

export interface ComparisonFacts {
  view: ComparisonView;
  /** Per compared run, in the view's order: what provenance lists. */
  runs: { datasetName: string; split: unknown; seed: number | null; backend: string | null }[];
  generatedAt: Date;
}

/**
 * 2–N runs side by side, as the compare page shows them: the metric table (compared cut-off),
 * the significance sentences word for word (paired tests only for pairable runs, otherwise the
 * reason), bootstrap intervals and validation learning curves.
 */
export function assembleComparisonReport({ view, runs, generatedAt }: ComparisonFacts): ReportDocument {
  const c = view.comparison;
  const metric = c.metric;
  const label = metricLabel(metric);
  const nameOf = new Map(view.runs.map((r) => [r.id, r.name]));
  const cutoff = parseMetricKey(metric).k;
  const columns = c.columns.filter((col) => parseMetricKey(col.key).k === undefined || parseMetricKey(col.key).k === cutoff);
  const splitWord = view.split === "test" ? "test" : "validation";

  const table: ReportTable = {
    type: "table",
    id: "metrics",
    caption: `Metrics on ${splitWord}`,
    columns: [{ key: "run", label: "Run" }, { key: "model", label: "Model" }, { key: "evaluatedOn", label: "Evaluated on" }, ...columns.map((col) => metricColumn(col.key))],
    rows: view.runs.map((r) => [r.name, r.modelName, r.evaluatedOn, ...columns.map((col) => finite(r.metrics[col.key]))]),
  };
  const best = columns.map((col) => `${col.label}: ${col.best.map((id) => nameOf.get(id) ?? "–").join(", ") || "–"}`).join("; ");
  const metricsBlocks: ReportBlock[] = [];
  if (c.pairs.some((p) => !p.paired)) {
    metricsBlocks.push(text("These runs were not all evaluated on the same test set (see “Evaluated on”), so some numbers are not directly comparable; significance below says which pairs are tested.", "note"));
  }
  if (view.split === "validation") metricsBlocks.push(text("Not every run was evaluated on test (search trials are ranked on validation only), so these are validation numbers.", "note"));
  metricsBlocks.push(table, text(`Best per metric: ${best}.`, "note"));

  const significance: ReportBlock[] =
    c.pairs.length === 0
      ? [text("No pairs to test.", "note")]
      : c.pairs.map((p) => text(`${p.sentence}.`, p.paired && p.significant ? "finding" : "plain"));
  significance.push(
    text(
      `Paired over the users both runs evaluated: paired t-test and Wilcoxon signed-rank test, Holm-corrected across pairs; a difference counts when both are below ${c.alpha}. ` +
        "Only runs on the same dataset, split (kind, ratios, seed) and users are paired; other pairs show each run's own bootstrap interval.",
      "note",
    ),
  );

  const intervals: ReportChart = {
    type: "chart",
    id: "intervals",
    caption: `${label} with bootstrap 95% CIs (${splitWord})`,
    kind: "interval",
    xKey: "run",
    yLabel: label,
    series: [{ key: "estimate", label }],
    lowKey: "low",
    highKey: "high",
    points: c.intervals.map((i) => ({ run: nameOf.get(i.runId) ?? "–", estimate: finite(i.estimate), low: finite(i.low), high: finite(i.high) })),
  };
  const curves = curvesChart(
    "learning-curves",
    `Learning curves, validation ${label}`,
    // Series keyed by position, not run id: a shared report carries no ids to navigate by.
    view.curves.map((curve, i) => ({ key: `run${i + 1}`, label: nameOf.get(curve.runId) ?? `run ${i + 1}`, points: curve.points })),
    label,
  );
  const charts: ReportBlock[] = [];
  if (intervals.points.length > 0) charts.push(intervals);
  if (curves) charts.push(curves);

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: "comparison",
    title: `Comparison of ${view.runs.length} runs on ${label}`,
    provenance: provenance({
      datasets: runs.map((r) => r.datasetName),
      splits: runs.map((r) => r.split),
      seeds: runs.flatMap((r) => (r.seed === null ? [] : [r.seed])),
      backends: runs.map((r) => r.backend),
      generatedAt,
    }),
    sections: [
      { heading: `Metrics (${splitWord})`, blocks: metricsBlocks },
      { heading: `Significance on ${label}`, blocks: significance },
      { heading: "Charts", blocks: charts.length ? charts : [text("No per-user values or learning curves were stored for these runs.", "note")] },
    ],
  };
}
