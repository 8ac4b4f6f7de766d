"use client";
import Link from "next/link";
import { isHigherBetter, metricLabel, parseMetricKey } from "@/lib/metrics/registry";
import type { ComparisonView } from "@/lib/server/dto";
import { formatMetric } from "@/lib/util/format";
import { Heatmap } from "../charts/heatmap";
import { IntervalBarChart } from "../charts/interval-bar-chart";
import { LineChartCard } from "../charts/line-chart-card";
import { ParallelCoordinates } from "../charts/parallel-coordinates";
import { SplitLabel } from "./split-label";
import { MetricTerm, Term } from "../ui/term";

const formatParam = (v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(4)).toString() : String(v));

/** Runs side by side: best per column, CI bars, overlaid curves, hyperparameter charts and the tests in words. */
export function CompareView({ view }: { view: ComparisonView }) {
  const { comparison: c, runs, split } = view;
  const metric = c.metric;
  const nameOf = new Map(runs.map((r) => [r.id, r.name]));
  const [xName, yName] = view.varying;
  // The table shows the compared cut-off (and cut-off-free rating metrics); the API returns all.
  const cutoff = parseMetricKey(metric).k;
  const columns = c.columns.filter((col) => parseMetricKey(col.key).k === undefined || parseMetricKey(col.key).k === cutoff);
  return (
    <>
      <div className="panel">
        <h2>Metrics <SplitLabel split={split} /></h2>
        {c.pairs.some((p) => !p.paired) ? (
          <p className="alert warn" data-testid="unpaired-note">These runs were not all evaluated on the same test set (see “Evaluated on”), so some numbers are not directly comparable; significance below says which pairs are tested.</p>
        ) : null}
        {split === "validation" ? <p className="muted">Not every run was evaluated on test (search trials are ranked on validation only), so these are validation numbers.</p> : null}
        <div style={{ overflowX: "auto" }}>
          <table className="data sticky-first" data-testid="compare-table">
            <thead>
              <tr>
                <th>Run</th>
                <th>Model</th>
                <th>Evaluated on</th>
                {columns.map((col) => <th key={col.key} className="num" data-metric-header={col.key}><MetricTerm metricKey={col.key}>{col.label}</MetricTerm>{col.higherIsBetter ? " ↑" : " ↓"}</th>)}
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td><Link href={`/runs/${r.id}`}>{r.name}</Link>{r.experimentId ? <> · <Link href={`/experiments/${r.experimentId}`} className="muted">{r.role}</Link></> : null}</td>
                  <td>{r.modelName}</td>
                  <td className="muted" style={{ minWidth: 200 }}>{r.evaluatedOn}</td>
                  {columns.map((col) => (
                    <td key={col.key} className={`num${col.best.includes(r.id) ? " best" : ""}`} data-best={col.best.includes(r.id) ? "true" : undefined}>{formatMetric(r.metrics[col.key])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted">Bold: best in its column (↑ higher is better, ↓ lower is better).</p>
      </div>
      <div className="panel">
        <h2><Term id="significant">Significance</Term> on <MetricTerm metricKey={metric} /> <SplitLabel split={split} /></h2>
        {c.pairs.length === 0 ? (
          <p className="muted">No pairs to test.</p>
        ) : (
          <ul className="sentences" data-testid="significance">
            {c.pairs.map((p) => (
              <li key={`${p.a}-${p.b}`} className={p.paired && p.significant ? "" : "muted"} data-paired={p.paired ? "true" : "false"}>{p.sentence}.</li>
            ))}
          </ul>
        )}
        <p className="muted">
          <Term id="paired-test">Paired</Term> over the users both runs evaluated: <Term id="t-test">paired t-test</Term> and <Term id="wilcoxon">Wilcoxon signed-rank test</Term>, <Term id="holm">Holm-corrected</Term> across pairs; a difference counts when both <Term id="p-value">p-values</Term> are below {c.alpha}.
          Only runs on the same dataset, split (kind, ratios, seed) and users are paired; other pairs show each run&apos;s own <Term id="bootstrap-ci">bootstrap interval</Term>.
        </p>
      </div>
      <div className="grid two">
        <div className="panel">
          <h2><MetricTerm metricKey={metric} /> with <Term id="bootstrap-ci">bootstrap 95% CIs</Term> <SplitLabel split={split} /></h2>
          <IntervalBarChart
            testId="compare-ci-chart"
            valueLabel={metricLabel(metric)}
            bars={c.intervals.map((i) => ({ label: nameOf.get(i.runId) ?? i.runId, estimate: i.estimate, low: i.low, high: i.high }))}
          />
        </div>
        <div className="panel">
          <h2>Learning curves, validation <MetricTerm metricKey={metric} /></h2>
          <LineChartCard series={view.curves.map((curve) => ({ key: curve.runId, label: nameOf.get(curve.runId) ?? curve.runId, points: curve.points }))} />
        </div>
      </div>
      {view.varying.length > 0 ? (
        <div className="grid two">
          {view.varying.length === 2 ? (
            <div className="panel">
              <h2><MetricTerm metricKey={metric} /> over {xName} × {yName}</h2>
              <Heatmap
                cells={runs.map((r) => ({ x: formatParam(r.params[xName]), y: formatParam(r.params[yName]), value: r.metrics[metric] ?? null }))}
                xLabel={xName}
                yLabel={yName}
                valueLabel={metricLabel(metric)}
                higherIsBetter={isHigherBetter(metric)}
              />
            </div>
          ) : null}
          <div className="panel">
            <h2>Hyperparameters vs <MetricTerm metricKey={metric} /></h2>
            <ParallelCoordinates
              axes={view.varying}
              metricLabel={metricLabel(metric)}
              higherIsBetter={isHigherBetter(metric)}
              lines={runs.map((r) => ({ id: r.id, label: r.name, values: r.params, metric: r.metrics[metric] ?? null }))}
            />
          </div>
        </div>
      ) : null}
    </>
  );
}
