import type { BiasReport } from "@/lib/fairness/bias-report";
import { metricLabel } from "@/lib/metrics/registry";
import { formatMetric } from "@/lib/util/format";
import { IntervalBarChart } from "../charts/interval-bar-chart";
import { CalibrationChart, LongTailExposureChart, LorenzChart } from "./exposure-charts";
import { MetricTerm, Term } from "../ui/term";

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/** What the report cannot show for this run or dataset, and why. */
export function MissingFacts({ report }: { report: BiasReport }) {
  if (report.missing.length === 0) return null;
  return (
    <div className="alert" style={{ background: "var(--warn-soft)", color: "var(--warn)" }} data-testid="bias-missing">
      <ul className="sentences">{report.missing.map((m) => <li key={m}>{m}</li>)}</ul>
    </div>
  );
}

export function Verdicts({ report }: { report: BiasReport }) {
  return (
    <ul className="sentences" data-testid="bias-verdicts">
      {report.verdicts.map((v) => <li key={v}>{v}</li>)}
    </ul>
  );
}

/** The headline metric per user group with bootstrap 95% CIs, and the group table. */
export function GroupSection({ report }: { report: BiasReport }) {
  const { groupMetrics: gm, headline } = report;
  const bars = gm.groups
    .filter((g) => g.status === "ok")
    .map((g) => ({ label: `${g.group} (n=${g.n})`, estimate: g.metrics[headline].estimate, low: g.metrics[headline].low, high: g.metrics[headline].high }));
  const gaps = gm.gaps.filter((g) => g.key === headline);
  return (
    <>
      <IntervalBarChart bars={bars} valueLabel={metricLabel(headline)} testId="group-gap-chart" />
      <div className="table-scroll">
        <table className="data" data-testid="group-table">
          <thead>
            <tr><th>Group</th><th className="num">Users</th><th>Status</th><th className="num"><MetricTerm metricKey={headline} /></th><th><Term id="bootstrap-ci">95% CI</Term></th></tr>
          </thead>
          <tbody>
            {gm.groups.map((g) => {
              const ci = g.metrics[headline];
              return (
                <tr key={g.group}>
                  <td>{g.group}</td>
                  <td className="num">{g.n}</td>
                  <td>{g.status === "ok" ? "estimated" : g.status === "empty" ? "no users" : `under ${gm.minSize} users`}</td>
                  <td className="num">{ci ? formatMetric(ci.estimate) : "–"}</td>
                  <td className="mono">{ci ? `[${formatMetric(ci.low)}, ${formatMetric(ci.high)}]` : "–"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {gaps.length > 0 ? (
        <div className="table-scroll" style={{ marginTop: 12 }}>
          <table className="data" data-testid="gap-table">
            <thead>
              <tr><th>Pair</th><th className="num">Gap</th><th className="num">Ratio</th><th className="num"><Term id="p-value">p</Term></th><th className="num"><Term id="holm">p (Holm)</Term></th><th><Term id="significant">Significant</Term></th></tr>
            </thead>
            <tbody>
              {gaps.map((g) => (
                <tr key={`${g.a}|${g.b}`}>
                  <td>{g.a} − {g.b}</td>
                  <td className="num">{formatMetric(g.gap)}</td>
                  <td className="num">{g.ratio === null ? "–" : g.ratio.toFixed(2)}</td>
                  <td className="num">{g.p.toFixed(3)}</td>
                  <td className="num">{g.pHolm.toFixed(3)}</td>
                  <td>{g.significant ? "yes" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            <Term id="permutation-test">Permutation test</Term> on the difference of means, <Term id="holm">Holm-corrected</Term> across the {gm.pairing === "all-pairs" ? "pairs of groups" : "groups, each against the largest"}; α = {gm.alpha}.
          </p>
        </div>
      ) : null}
    </>
  );
}

/** Exposure vs relevance per item group, long-tail exposure, Lorenz curve and calibration. */
export function ExposureSection({ report }: { report: BiasReport }) {
  const e = report.exposure;
  if (!e) return <p className="muted">Re-run to see exposure: this run has no stored top-K lists.</p>;
  const rows = [...e.popularity, ...(e.categories ?? [])];
  return (
    <>
      <div className="table-scroll">
        <table className="data" data-testid="exposure-table">
          <thead>
            <tr><th>Item group</th><th className="num">Items</th><th className="num">Slots @{e.k}</th><th className="num">Test interactions</th><th className="num">Training interactions</th></tr>
          </thead>
          <tbody>
            {rows.map((g, i) => (
              <tr key={`${i < e.popularity.length ? "p" : "c"}:${g.group}`}>
                <td>{g.group}</td>
                <td className="num">{g.items}</td>
                <td className="num">{percent(g.exposure)}</td>
                <td className="num">{percent(g.relevance)}</td>
                <td className="num">{percent(g.training)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="grid two" style={{ marginTop: 12 }}>
        <div><h3>Long-tail exposure</h3><LongTailExposureChart points={e.longTail} /></div>
        <div><h3>Lorenz curve of exposure</h3><LorenzChart points={e.lorenz} /></div>
      </div>
      {e.calibration ? (<><h3>Calibration: genres of histories vs recommendations</h3><CalibrationChart genres={e.calibration} /></>) : null}
    </>
  );
}

/** Beyond-accuracy metrics, one column per run; with several runs the best is green and the worst red, by each metric's direction. */
export function BeyondTable({ reports }: { reports: BiasReport[] }) {
  const keys = [...new Set(reports.flatMap((r) => r.beyond.map((b) => b.key)))];
  if (keys.length === 0) return <p className="muted">No beyond-accuracy metrics were stored for {reports.length > 1 ? "these runs" : "this run"}.</p>;
  return (
    <div className="table-scroll">
      <table className="data" data-testid="beyond-table">
        <thead>
          <tr><th>Metric</th><th>Better</th>{reports.map((r) => <th key={r.runId} className="num">{r.runName}</th>)}</tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const row = reports.map((r) => r.beyond.find((b) => b.key === key));
            const higher = row.find((b) => b)!.higherIsBetter;
            const finite = row.flatMap((b) => (b && Number.isFinite(b.value) ? [b.value] : []));
            const best = higher ? Math.max(...finite) : Math.min(...finite);
            const worst = higher ? Math.min(...finite) : Math.max(...finite);
            return (
              <tr key={key}>
                <td><MetricTerm metricKey={key} /></td>
                <td className="muted">{higher ? "higher" : "lower"}</td>
                {row.map((b, i) => {
                  const colour = reports.length < 2 || !b || best === worst ? undefined : b.value === best ? "var(--ok)" : b.value === worst ? "var(--bad)" : undefined;
                  return <td key={reports[i].runId} className="num" style={{ color: colour }}>{formatMetric(b?.value)}</td>;
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
