import type { BiasReport } from "../../fairness/bias-report";
import { metricLabel } from "../../metrics/registry";
import { directionWords, finite, METRIC_DIGITS, text } from "../blocks";
import { REPORT_SCHEMA_VERSION, type ReportBlock, type ReportChart, type ReportDocument } from "../document";
import { provenance } from "../provenance";

export interface BiasFacts {
  report: BiasReport;
  datasetName: string;
  split: unknown;
  seed: number | null;
  backend: string | null;
  generatedAt: Date;
}

/** A run's bias and diversity report: verdicts, the headline metric per user group with its gaps, exposure and beyond-accuracy metrics. */
export function assembleBiasReport({ report: r, datasetName, split, seed, backend, generatedAt }: BiasFacts): ReportDocument {
  const gm = r.groupMetrics;
  const headline = metricLabel(r.headline);
  const gapChart: ReportChart = {
    type: "chart",
    id: "group-gaps",
    caption: `${headline} per ${r.groupBy} group with bootstrap 95% CIs`,
    kind: "interval",
    xKey: "group",
    yLabel: headline,
    series: [{ key: "estimate", label: headline }],
    lowKey: "low",
    highKey: "high",
    points: gm.groups.filter((g) => g.status === "ok").map((g) => ({ group: `${g.group} (n=${g.n})`, estimate: finite(g.metrics[r.headline]?.estimate), low: finite(g.metrics[r.headline]?.low), high: finite(g.metrics[r.headline]?.high) })),
  };
  const groups: ReportBlock[] = [
    {
      type: "table",
      id: "groups",
      caption: `${headline} per group`,
      columns: [
        { key: "group", label: "Group" },
        { key: "users", label: "Users", numeric: true, digits: 0 },
        { key: "status", label: "Status" },
        { key: "estimate", label: headline, numeric: true, digits: METRIC_DIGITS, direction: "higher" },
        { key: "low", label: "CI low", numeric: true, digits: METRIC_DIGITS },
        { key: "high", label: "CI high", numeric: true, digits: METRIC_DIGITS },
      ],
      rows: gm.groups.map((g) => {
        const ci = g.metrics[r.headline];
        return [g.group, g.n, g.status === "ok" ? "estimated" : g.status === "empty" ? "no users" : `under ${gm.minSize} users`, finite(ci?.estimate), finite(ci?.low), finite(ci?.high)];
      }),
    },
  ];
  if (gapChart.points.length > 0) groups.unshift(gapChart);
  const gaps = gm.gaps.filter((g) => g.key === r.headline);
  if (gaps.length > 0) {
    groups.push(
      {
        type: "table",
        id: "gaps",
        caption: `Gaps in ${headline} between groups`,
        columns: [
          { key: "pair", label: "Pair" },
          { key: "gap", label: "Gap", numeric: true, digits: METRIC_DIGITS },
          { key: "ratio", label: "Ratio", numeric: true, digits: 2 },
          { key: "p", label: "p", numeric: true, digits: 3 },
          { key: "pHolm", label: "p (Holm)", numeric: true, digits: 3 },
          { key: "significant", label: "Significant" },
        ],
        rows: gaps.map((g) => [`${g.a} − ${g.b}`, finite(g.gap), finite(g.ratio), finite(g.p), finite(g.pHolm), g.significant ? "yes" : "no"]),
      },
      text(`Permutation test on the difference of means, Holm-corrected across the ${gm.pairing === "all-pairs" ? "pairs of groups" : "groups, each against the largest"}; α = ${gm.alpha}.`, "note"),
    );
  }
  const exposure: ReportBlock[] = [];
  const e = r.exposure;
  if (!e) exposure.push(text("Re-run to see exposure: this run has no stored top-K lists.", "note"));
  else {
    exposure.push({
      type: "table",
      id: "exposure",
      caption: `Exposure vs relevance per item group (top ${e.k})`,
      columns: [
        { key: "group", label: "Item group" },
        { key: "items", label: "Items", numeric: true, digits: 0 },
        { key: "exposure", label: `Share of slots @${e.k}`, numeric: true, digits: 3 },
        { key: "relevance", label: "Share of test interactions", numeric: true, digits: 3 },
        { key: "training", label: "Share of training interactions", numeric: true, digits: 3 },
      ],
      rows: [...e.popularity, ...(e.categories ?? [])].map((g) => [g.group, g.items, finite(g.exposure), finite(g.relevance), finite(g.training)]),
    });
    if (e.longTail.length > 0) {
      exposure.push({
        type: "chart",
        id: "long-tail-exposure",
        caption: "Long-tail exposure: share of slots and of training interactions by popularity rank",
        kind: "line",
        xKey: "rank",
        xLabel: "popularity rank",
        yLabel: "share",
        series: [{ key: "popularity", label: "training interactions" }, { key: "exposure", label: "recommendation slots" }],
        points: e.longTail.map((p) => ({ rank: p.rank, popularity: finite(p.popularity), exposure: finite(p.exposure) })),
      });
    }
  }
  const beyond: ReportBlock[] = r.beyond.length
    ? [{
        type: "table",
        id: "beyond-accuracy",
        caption: "Beyond-accuracy metrics",
        columns: [{ key: "metric", label: "Metric" }, { key: "value", label: "Value", numeric: true, digits: METRIC_DIGITS }, { key: "better", label: "Better" }],
        rows: r.beyond.map((b) => [metricLabel(b.key), finite(b.value), directionWords(b.key)]),
      }]
    : [text("No beyond-accuracy metrics were stored for this run.", "note")];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: "bias",
    title: `Bias and diversity report: ${r.runName}`,
    provenance: provenance({ datasets: [datasetName], splits: split === undefined ? [] : [split], seeds: seed === null ? [] : [seed], backends: [backend], generatedAt }),
    sections: [
      { heading: "Verdicts", blocks: [...r.verdicts.map((v) => text(v, "finding")), ...r.missing.map((m) => text(m, "note"))] },
      { heading: `${headline} by ${r.groupBy}`, blocks: groups },
      { heading: "Exposure", blocks: exposure },
      { heading: "Beyond accuracy", blocks: beyond },
    ],
  };
}
