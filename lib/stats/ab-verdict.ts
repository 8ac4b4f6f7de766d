import type { AbAnalysis, AbComparison, AbMetricRow } from "../simulation/types";
import { AB_METRICS } from "./ab-metrics";

/**
 * The verdict of an A/B test in plain sentences, GrowthBook-style: per treatment arm, what moved
 * (direction, size, CI, p) and what did not, judged after the Holm correction; a guardrail that
 * got significantly worse gets its own sentence; a sample ratio mismatch comes first and says
 * the results should not be trusted.
 */
export function abVerdict(analysis: Omit<AbAnalysis, "verdict">): string[] {
  const { arms, metrics, srm, alpha } = analysis;
  const sentences: string[] = [];
  const totalUsers = arms.reduce((sum, a) => sum + a.users, 0);
  if (totalUsers === 0) return ["No users were assigned to any arm, so there is nothing to analyse yet."];
  if (srm.mismatch) {
    const observed = srm.observed.map(count).join(" / ");
    const expected = arms.map((a) => percent(a.expectedShare, 0)).join(" / ");
    sentences.push(
      `Sample ratio mismatch (χ² = ${srm.chiSquare.toFixed(1)}, ${formatP(srm.pValue)}): users split ${observed} where ${expected} was expected, so the assignment is broken and these results should not be trusted.`,
    );
  }
  for (const arm of arms) {
    if (arm.users === 0) sentences.push(`${arm.label} has no users, so none of its metrics can be computed or compared.`);
  }
  const control = arms[0];
  const level = `${Math.round((1 - alpha) * 100)}% CI`;
  arms.slice(1).forEach((arm, index) => {
    if (arm.users === 0 || control.users === 0) return;
    const tested = metrics.filter((m) => m.comparisons.length > index);
    const rows = tested.map((m) => ({ metric: m, c: m.comparisons[index] }));
    const moved = rows.filter(({ c }) => !c.missing && c.significant);
    const rest = rows.filter(({ c }) => c.missing || !c.significant);
    const clauses = [
      ...moved.map(({ metric, c }) => movedClause(metric, c, level)),
      ...rest.map(({ metric, c }) => (c.missing ? `${phrase(metric)} not compared (${c.missing})` : unchangedClause(metric, c, alpha))),
    ];
    if (clauses.length === 0) return;
    sentences.push(
      moved.length > 0
        ? `${arm.label} ${clauses.join("; ")}.`
        : `${arm.label} shows no significant difference from ${control.label}: ${clauses.join("; ")}.`,
    );
    for (const { metric, c } of moved) {
      if (metric.guardrail && worse(metric, c)) {
        sentences.push(`Guardrail: ${arm.label} makes ${phrase(metric)} worse than ${control.label}; weigh this before shipping.`);
      }
    }
  });
  return sentences;
}

/** How a sentence names the metric ("dwell time per click"). */
function phrase(metric: AbMetricRow): string {
  return AB_METRICS.find((m) => m.id === metric.metricId)?.phrase ?? metric.label;
}

function movedClause(metric: AbMetricRow, c: AbComparison, level: string): string {
  const verb = c.lift > 0 ? "raises" : "lowers";
  const adjusted = pNumber(c.pAdjusted) !== pNumber(c.pValue) ? `, Holm-adjusted ${pNumber(c.pAdjusted)}` : "";
  return `${verb} ${phrase(metric)} by ${percent(Math.abs(c.lift))} (${level} ${percent(c.liftCi[0])} to ${percent(c.liftCi[1])}, ${formatP(c.pValue)}${adjusted})`;
}

function unchangedClause(metric: AbMetricRow, c: AbComparison, alpha: number): string {
  if (c.pValue < alpha) {
    return `${phrase(metric)} ${signedPercent(c.lift)}, not significant after the Holm correction (${formatP(c.pValue)}, adjusted ${pNumber(c.pAdjusted)})`;
  }
  return `${phrase(metric)} unchanged (${formatP(c.pValue)})`;
}

function worse(metric: AbMetricRow, c: AbComparison): boolean {
  return metric.higherIsBetter ? c.lift < 0 : c.lift > 0;
}

/** "p = 0.006", "p = 0.41", "p < 0.001". */
export function formatP(p: number): string {
  const text = pNumber(p);
  return text.startsWith("<") ? `p ${text}` : `p = ${text}`;
}

/** "0.006", "0.41", "< 0.001". */
function pNumber(p: number): string {
  if (p < 0.001) return "< 0.001";
  if (p < 0.1) return p.toFixed(3);
  return p >= 0.995 ? "1" : p.toFixed(2);
}

/** 0.041 → "4.1%"; below 1% two decimals ("0.35%"). */
export function percent(x: number, digits?: number): string {
  const v = x * 100;
  return `${v.toFixed(digits ?? (Math.abs(v) < 1 ? 2 : 1))}%`;
}

function signedPercent(x: number): string {
  return `${x >= 0 ? "+" : ""}${percent(x)}`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
