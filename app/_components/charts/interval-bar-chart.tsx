"use client";
import { Bar, BarChart, CartesianGrid, ErrorBar, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface IntervalBar {
  label: string;
  estimate: number;
  /** Interval bounds; null draws the bar without whiskers. */
  low: number | null;
  high: number | null;
}

/**
 * Bars with confidence-interval whiskers: metric means with bootstrap 95% CIs, or ablation deltas
 * against a baseline (pass `baseline` 0 to draw the zero line).
 */
export function IntervalBarChart({ bars, valueLabel, baseline, height = 280, testId }: { bars: IntervalBar[]; valueLabel: string; baseline?: number; height?: number; testId?: string }) {
  if (bars.length === 0) return <div className="empty">No data.</div>;
  const data = bars.map((b) => ({
    label: b.label,
    estimate: b.estimate,
    error: b.low === null || b.high === null ? [0, 0] : [b.estimate - b.low, b.high - b.estimate],
    interval: b.low === null || b.high === null ? "–" : `[${b.low.toFixed(4)}, ${b.high.toFixed(4)}]`,
  }));
  return (
    <div className="chart" style={{ height }} data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} tickFormatter={(label: string) => (label.length > 22 ? `${label.slice(0, 21)}…` : label)} />
          <YAxis tick={{ fontSize: 12 }} width={64} domain={baseline === undefined ? [0, "auto"] : ["auto", "auto"]} tickFormatter={(v: number) => Number(v.toPrecision(3)).toString()} />
          <Tooltip formatter={(v, _name, item) => [`${Number(v).toFixed(4)} (95% CI ${(item.payload as { interval: string }).interval})`, valueLabel]} />
          {baseline !== undefined ? <ReferenceLine y={baseline} stroke="#5b6470" /> : null}
          <Bar dataKey="estimate" fill="#3b5bdb" isAnimationActive={false}>
            <ErrorBar dataKey="error" width={6} strokeWidth={1.5} stroke="#1b1f24" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
