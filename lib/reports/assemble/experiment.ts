import { EXPERIMENT_KIND_LABELS } from "../../experiments/experiment-spec";
import { betterFirst, deltaTone, formatDelta, TONE_WORDS } from "../../metrics/direction";
import { metricLabel, orderMetricKeys } from "../../metrics/registry";
import type { ExperimentDetail, ExperimentRun } from "../../server/dto";
import { formatMetric } from "../../util/format";
import { cellOf, directionWords, finite, METRIC_DIGITS, metricColumn, metricsTable, settingsTable, text } from "../blocks";
import { REPORT_SCHEMA_VERSION, type ReportBlock, type ReportDocument, type ReportSection } from "../document";
import { provenance } from "../provenance";

export interface ExperimentFacts {
  experiment: ExperimentDetail;
  /** Compute backends of the experiment's runs (provenance). */
  backends: (string | null)[];
  generatedAt: Date;
}

/**
 * An experiment's report: the leaderboard and selected configuration with its test result
 * (search), mean ± sd over folds (cross-validation) or deltas against the base (ablation).
 */
export function assembleExperimentReport({ experiment: e, backends, generatedAt }: ExperimentFacts): ReportDocument {
  const metric = e.selectionMetric;
  const summary = text(
    `${EXPERIMENT_KIND_LABELS[e.kind]} of ${e.modelName} on ${e.datasetName}, ${e.totalRuns} planned runs (${e.doneRuns} done, ${e.failedRuns} failed); selection metric ${metricLabel(metric)} (${directionWords(metric)}); status ${e.status.toLowerCase()}.`,
  );
  const sections: ReportSection[] = [{ heading: "Summary", blocks: e.error ? [summary, text(`Error: ${e.error}`, "note")] : [summary] }];
  if (e.kind === "grid" || e.kind === "random") sections.push(...searchSections(e));
  if (e.kind === "cv") sections.push(crossValidationSection(e));
  if (e.kind === "ablation") sections.push(...ablationSections(e));
  sections.push({ heading: "Base configuration", blocks: [settingsTable("base-configuration", "Base configuration", e.baseConfig), settingsTable("plan", "Plan", e.spec)] });
  const base = e.baseConfig as { split?: unknown };
  const seeds = [...new Set([...e.runs, ...(e.finalRun ? [e.finalRun] : [])].map((r) => r.seed))];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: "experiment",
    title: `Experiment report: ${e.name}`,
    provenance: provenance({ datasets: [e.datasetName], splits: base.split === undefined ? [] : [base.split], seeds, backends, generatedAt }),
    sections,
  };
}

function searchSections(e: ExperimentDetail): ReportSection[] {
  const metric = e.selectionMetric;
  const value = (r: ExperimentRun) => r.validation?.[metric] ?? Number.NaN;
  const order = betterFirst(metric);
  const ranked = [...e.runs].sort((a, b) => order(value(a), value(b)) || a.trialIndex - b.trialIndex);
  const secondary = ["recall@10", "hit@10", "map@10"].filter((k) => k !== metric && e.runs.some((r) => r.validation?.[k] !== undefined));
  const leaderboard: ReportBlock = {
    type: "table",
    id: "leaderboard",
    caption: `Leaderboard on validation, ranked by ${metricLabel(metric)}`,
    columns: [
      { key: "rank", label: "Rank", numeric: true, digits: 0 },
      { key: "trial", label: "Trial" },
      ...e.varying.map((p) => ({ key: `param:${p}`, label: p })),
      metricColumn(metric),
      ...secondary.map(metricColumn),
      { key: "bestEpoch", label: "Best epoch", numeric: true, digits: 0 },
      { key: "status", label: "Status" },
    ],
    rows: ranked.map((r, i) => [i + 1, r.name, ...e.varying.map((p) => cellOf(r.params[p])), finite(value(r)), ...secondary.map((k) => finite(r.validation?.[k])), r.bestEpoch, r.status.toLowerCase()]),
  };
  const chart: ReportBlock = {
    type: "chart",
    id: "leaderboard-chart",
    caption: `Validation ${metricLabel(metric)} per trial`,
    kind: "bar",
    xKey: "trial",
    yLabel: metricLabel(metric),
    series: [{ key: "value", label: metricLabel(metric) }],
    points: ranked.filter((r) => Number.isFinite(value(r))).slice(0, 30).map((r) => ({ trial: r.name, value: value(r) })),
  };
  const sections: ReportSection[] = [];
  const final = e.finalRun;
  if (final && e.result?.kind === "search") {
    const bestTrial = e.runs.find((r) => r.id === (e.result as { bestTrialRunId: string }).bestTrialRunId);
    const fit = e.result.finalFit === "train+validation" ? "on train + validation" : "on train, same seed";
    const blocks: ReportBlock[] = [
      text(`Ranked on ${metricLabel(metric)} (validation); the best trial${bestTrial ? `, ${bestTrial.name},` : ""} was retrained (${fit}) and evaluated on test once.`),
      text(`${metricLabel(metric)}: validation ${formatMetric(bestTrial?.validation?.[metric])} (best trial), test ${final.status === "SUCCEEDED" ? formatMetric(final.test?.[metric]) : final.status.toLowerCase()} (final run).`, "finding"),
      settingsTable("best-configuration", "Best configuration", final.params),
    ];
    if (final.test) blocks.push(metricsTable("test-result", "Test result of the final run", final.test));
    sections.push({ heading: "Best configuration and test result", blocks });
  }
  sections.push({ heading: "Leaderboard", blocks: chart.points.length ? [leaderboard, chart] : [leaderboard] });
  return sections;
}

function crossValidationSection(e: ExperimentDetail): ReportSection {
  if (e.result?.kind !== "cv") return { heading: "Cross-validation", blocks: [text("The folds have not all finished yet.", "note")] };
  const metrics = e.result.metrics;
  const folds = Math.max(0, ...Object.values(metrics).map((m) => m.folds.length));
  const keys = orderMetricKeys(Object.keys(metrics));
  const headline = metrics[e.selectionMetric];
  return {
    heading: `Cross-validation: mean ± sd over ${folds} folds (test)`,
    blocks: [
      ...(headline ? [text(`${metricLabel(e.selectionMetric)} = ${formatMetric(headline.mean)} ± ${formatMetric(headline.std)} (mean ± sd over ${folds} folds).`, "finding")] : []),
      {
        type: "table",
        id: "folds",
        caption: `Mean and standard deviation over ${folds} folds`,
        columns: [
          { key: "metric", label: "Metric" },
          { key: "mean", label: "Mean", numeric: true, digits: METRIC_DIGITS },
          { key: "sd", label: "SD", numeric: true, digits: METRIC_DIGITS },
          ...Array.from({ length: folds }, (_, i) => ({ key: `fold${i + 1}`, label: `Fold ${i + 1}`, numeric: true, digits: METRIC_DIGITS })),
          { key: "better", label: "Better" },
        ],
        rows: keys.map((k) => [metricLabel(k), finite(metrics[k].mean), finite(metrics[k].std), ...Array.from({ length: folds }, (_, i) => finite(metrics[k].folds[i])), directionWords(k)]),
      },
    ],
  };
}

function ablationSections(e: ExperimentDetail): ReportSection[] {
  if (e.result?.kind !== "ablation") return [{ heading: "Ablation", blocks: [text("The variants have not all finished yet.", "note")] }];
  const [base, ...variants] = e.result.variants;
  const metric = e.selectionMetric in (base.metrics ?? {}) ? e.selectionMetric : Object.keys(base.metrics)[0];
  const keys = orderMetricKeys(Object.keys(base.metrics).filter((k) => variants.some((v) => v.deltas[k])));
  const label = metricLabel(metric);
  return [
    {
      heading: `Δ ${label} against the base, 95% CI (test)`,
      blocks: [
        text(`Each variant minus the base over the same users, averaged over seeds ${e.result.seeds.join(", ")}; intervals are percentile bootstrap intervals of the per-user difference; p-values are paired t-tests over users, Holm-corrected across variants.`, "note"),
        ...variants.map((v) => {
          const d = v.deltas[metric];
          return text(`${v.name}: Δ ${label} ${d ? formatDelta(d.delta) : "–"}${d && d.low !== null ? ` [${formatMetric(d.low)}, ${formatMetric(d.high)}]` : ""}${d?.p !== null && d ? `, Holm p = ${Number(d.p.toPrecision(2))}` : ""}: ${TONE_WORDS[deltaTone(metric, d)]}.`, deltaTone(metric, d) === "neutral" ? "plain" : "finding");
        }),
        {
          type: "chart",
          id: "ablation-deltas",
          caption: `Δ ${label} against the base with 95% CIs`,
          kind: "interval",
          xKey: "variant",
          yLabel: `Δ ${label}`,
          series: [{ key: "delta", label: `Δ ${label}` }],
          lowKey: "low",
          highKey: "high",
          points: variants.map((v) => ({ variant: v.name, delta: finite(v.deltas[metric]?.delta ?? null), low: finite(v.deltas[metric]?.low ?? null), high: finite(v.deltas[metric]?.high ?? null) })),
        },
        {
          type: "table",
          id: "ablation-deltas",
          caption: "Deltas against the base, every metric",
          columns: [
            { key: "variant", label: "Variant" },
            { key: "metric", label: "Metric" },
            { key: "value", label: "Value", numeric: true, digits: METRIC_DIGITS },
            { key: "delta", label: "Δ", numeric: true, digits: METRIC_DIGITS },
            { key: "low", label: "CI low", numeric: true, digits: METRIC_DIGITS },
            { key: "high", label: "CI high", numeric: true, digits: METRIC_DIGITS },
            { key: "p", label: "p (Holm)", numeric: true, digits: 4 },
            { key: "verdict", label: "Verdict" },
          ],
          rows: variants.flatMap((v) => keys.map((k) => {
            const d = v.deltas[k];
            return [v.name, metricLabel(k), finite(v.metrics[k]), finite(d?.delta ?? null), finite(d?.low ?? null), finite(d?.high ?? null), finite(d?.p ?? null), TONE_WORDS[deltaTone(k, d)]];
          })),
        },
      ],
    },
    { heading: "Base metrics (test)", blocks: [metricsTable("base-metrics", "Metrics of the base configuration", base.metrics)] },
  ];
}
