import { directionTone, TONE_CLASS } from "@/lib/metrics/direction";
import type { AbAnalysis, AbMetricRow } from "@/lib/simulation/types";
import { CiBar } from "./ci-bar";
import { formatAbValue, formatLift, formatP } from "./format";

/**
 * One row per metric: each arm's value (95% CI), then per treatment arm the relative lift, its
 * CI bar and the Holm-adjusted p-value, coloured by the metric's direction when significant.
 */
export function MetricTable({ analysis, rows, caption, testId }: { analysis: AbAnalysis; rows: AbMetricRow[]; caption: string; testId: string }) {
  if (rows.length === 0) return null;
  const label = (armId: string) => analysis.arms.find((a) => a.armId === armId)?.label ?? armId;
  const treatments = analysis.arms.filter((a) => a.armId !== analysis.controlArmId);
  const reach = Math.max(0.01, ...rows.flatMap((r) => r.comparisons.flatMap((c) => c.liftCi.map((v) => Math.abs(v)).filter(Number.isFinite))));
  return (
    <div className="table-scroll">
      <table className="data ab-metrics" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th>Metric</th>
            {analysis.arms.map((a) => (
              <th key={a.armId} className="num">{a.armId}: {a.label}{a.armId === analysis.controlArmId ? " (control)" : ""}</th>
            ))}
            {treatments.map((t) => (
              <th key={t.armId} colSpan={3}>{t.armId} vs {analysis.controlArmId}: lift, 95% CI, p (Holm)</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.metricId} data-metric={row.metricId}>
              <th scope="row">
                {row.label}
                <div className="muted small">{row.higherIsBetter ? "higher is better" : "lower is better"}</div>
              </th>
              {analysis.arms.map((a) => {
                const value = row.arms.find((v) => v.armId === a.armId);
                return (
                  <td key={a.armId} className="num">
                    {value ? formatAbValue(row.metricId, value.value) : "–"}
                    {value?.ci ? <div className="muted small">{formatAbValue(row.metricId, value.ci[0])} to {formatAbValue(row.metricId, value.ci[1])}</div> : null}
                  </td>
                );
              })}
              {treatments.map((t) => {
                const c = row.comparisons.find((x) => x.armId === t.armId);
                if (!c) return <td key={t.armId} colSpan={3} className="muted">–</td>;
                const tone = directionTone(row.higherIsBetter, c.lift, c.significant);
                return [
                  <td key={`${t.armId}-lift`} className={`num ${TONE_CLASS[tone]}`} title={`${label(t.armId)} against ${label(analysis.controlArmId)} (${c.test})`}>
                    {formatLift(c.lift)}
                    <div className="small">{formatLift(c.liftCi[0])} to {formatLift(c.liftCi[1])}</div>
                  </td>,
                  <td key={`${t.armId}-bar`} className="ci-cell"><CiBar lift={c.lift} ci={c.liftCi} reach={reach} tone={tone} /></td>,
                  <td key={`${t.armId}-p`} className={`num ${TONE_CLASS[tone]}`}>
                    {formatP(c.pAdjusted)}
                    <div className="muted small">raw {formatP(c.pValue)}</div>
                  </td>,
                ];
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
