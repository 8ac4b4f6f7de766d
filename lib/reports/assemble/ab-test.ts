import type { AbAnalysis } from "../../simulation/types";
import { finite, text } from "../blocks";
import { REPORT_SCHEMA_VERSION, type ReportBlock, type ReportChart, type ReportDocument, type ReportTable } from "../document";
import { provenance } from "../provenance";

export interface AbTestFacts {
  name: string;
  analysis: AbAnalysis;
  /** Dataset the simulated users came from, and the simulation seed. */
  datasetName: string;
  seed: number | null;
  generatedAt: Date;
}

/**
 * An A/B test's report: the verdict sentences, the sample-ratio check, and per metric each
 * arm's value with its 95% CI and each treatment's lift against control with its CI and
 * Holm-adjusted p-value. Guardrail metrics are listed in their own table.
 */
export function assembleAbTestReport({ name, analysis: a, datasetName, seed, generatedAt }: AbTestFacts): ReportDocument {
  const armLabel = new Map(a.arms.map((arm) => [arm.armId, arm.label]));
  const label = (armId: string) => armLabel.get(armId) ?? armId;
  const control = label(a.controlArmId);
  const srm = a.srm;
  const srmSentence = srm.mismatch
    ? `Sample ratio mismatch: the arms received ${srm.observed.join(" / ")} users against ${srm.expected.map((e) => e.toFixed(0)).join(" / ")} expected (χ² = ${srm.chiSquare.toFixed(2)}, df = ${srm.df}, p = ${srm.pValue.toPrecision(2)}): the assignment is broken, do not trust these results.`
    : `No sample ratio mismatch: ${srm.observed.join(" / ")} users against ${srm.expected.map((e) => e.toFixed(0)).join(" / ")} expected (χ² = ${srm.chiSquare.toFixed(2)}, df = ${srm.df}, p = ${srm.pValue.toPrecision(2)}).`;
  const armsTable: ReportTable = {
    type: "table",
    id: "arms",
    caption: "Arms",
    columns: [{ key: "arm", label: "Arm" }, { key: "users", label: "Users", numeric: true, digits: 0 }, { key: "expected", label: "Expected share", numeric: true, digits: 3 }],
    rows: a.arms.map((arm) => [arm.label + (arm.armId === a.controlArmId ? " (control)" : ""), arm.users, finite(arm.expectedShare)]),
  };
  const metricTable = (id: string, caption: string, rows: AbAnalysis["metrics"]): ReportTable => ({
    type: "table",
    id,
    caption,
    columns: [
      { key: "metric", label: "Metric" },
      { key: "arm", label: "Arm" },
      { key: "value", label: "Value", numeric: true, digits: 4 },
      { key: "low", label: "CI low", numeric: true, digits: 4 },
      { key: "high", label: "CI high", numeric: true, digits: 4 },
      { key: "lift", label: `Lift vs ${control}`, numeric: true, digits: 4 },
      { key: "liftLow", label: "Lift CI low", numeric: true, digits: 4 },
      { key: "liftHigh", label: "Lift CI high", numeric: true, digits: 4 },
      { key: "p", label: "p", numeric: true, digits: 4 },
      { key: "pHolm", label: "p (Holm)", numeric: true, digits: 4 },
      { key: "better", label: "Better" },
    ],
    rows: rows.flatMap((m) =>
      m.arms.map((v) => {
        const c = m.comparisons.find((x) => x.armId === v.armId);
        return [m.label, label(v.armId), finite(v.value), finite(v.ci?.[0]), finite(v.ci?.[1]), finite(c?.lift), finite(c?.liftCi[0]), finite(c?.liftCi[1]), finite(c?.pValue), finite(c?.pAdjusted), m.higherIsBetter ? "higher is better" : "lower is better"];
      }),
    ),
  });
  const primary = a.metrics.filter((m) => !m.guardrail);
  const guardrails = a.metrics.filter((m) => m.guardrail);
  const lifts: ReportChart | null = primary.length
    ? {
        type: "chart",
        id: "lifts",
        caption: `Lift of ${primary[0].label} against ${control} with 95% CIs`,
        kind: "interval",
        xKey: "arm",
        yLabel: `lift of ${primary[0].label}`,
        series: [{ key: "lift", label: "lift" }],
        lowKey: "low",
        highKey: "high",
        points: primary[0].comparisons.map((c) => ({ arm: label(c.armId), lift: finite(c.lift), low: finite(c.liftCi[0]), high: finite(c.liftCi[1]) })),
      }
    : null;
  const results: ReportBlock[] = [metricTable("metrics", "Metrics per arm, lifts against control", primary)];
  if (lifts && lifts.points.length) results.push(lifts);
  if (guardrails.length) results.push(metricTable("guardrails", "Guardrail metrics (must not get worse)", guardrails));
  results.push(text(`Lifts are relative (treatment / control − 1: 0.041 is +4.1%); p-values are Holm-adjusted across every metric and treatment arm; α = ${a.alpha}.`, "note"));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: "ab-test",
    title: `A/B test report: ${name}`,
    provenance: provenance({ datasets: [datasetName], splits: [], seeds: seed === null ? [] : [seed], backends: [], generatedAt }),
    sections: [
      { heading: "Verdict", blocks: [...a.verdict.map((v) => text(v, "finding")), text(srmSentence, srm.mismatch ? "finding" : "note")] },
      { heading: "Arms", blocks: [armsTable] },
      { heading: "Results", blocks: results },
    ],
  };
}
