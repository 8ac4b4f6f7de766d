"use client";
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { categoryAxisProps, niceAxisProps, useElementWidth } from "./axis";

export interface IntervalBar {
  label: string;
  estimate: number;
  /** Interval bounds; null draws the bar without whiskers. */
  low: number | null;
  high: number | null;
  /** Bar colour, e.g. the tone of an ablation delta (lib/metrics/direction.ts); default blue. */
  fill?: string;
}

/**
 * Bars with confidence-interval whiskers: metric means with bootstrap 95% CIs, or ablation deltas
 * against a baseline (pass `baseline` 0 to draw the zero line).
 */
export function IntervalBarChart({ bars, valueLabel, baseline, height = 280, testId }: { bars: IntervalBar[]; valueLabel: string; baseline?: number; height?: number; testId?: string }) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  if (bars.length === 0) return <div className="empty">No data.</div>;
  const data = bars.map((b) => ({
    label: b.label,
    estimate: b.estimate,
    low: b.low,
    high: b.high,
    interval: b.low === null || b.high === null ? "–" : `[${b.low.toFixed(4)}, ${b.high.toFixed(4)}]`,
  }));
  // The axis must reach the whiskers, not just the bars, and zero (bars start there).
  const reach = bars.flatMap((b) => [b.estimate, ...(b.low === null ? [] : [b.low]), ...(b.high === null ? [] : [b.high])]);
  const xAxis = categoryAxisProps(bars.map((b) => b.label), width - 80);
  return (
    <div
      className="chart"
      style={{ height: height + xAxis.height - 30 }}
      data-testid={testId}
      ref={ref}
      role="img"
      aria-label={`${valueLabel} with 95% intervals: ${data.map((d) => `${d.label} ${d.estimate.toFixed(4)} ${d.interval}`).join("; ")}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" vertical={false} />
          <XAxis dataKey="label" {...xAxis} />
          <YAxis tick={{ fontSize: 12 }} width={64} {...niceAxisProps([0, ...reach])} />
          <Tooltip formatter={(v, _name, item) => [`${Number(v).toFixed(4)} (95% CI ${(item.payload as { interval: string }).interval})`, valueLabel]} />
          {baseline !== undefined ? <ReferenceLine y={baseline} stroke="#5b6470" /> : null}
          <Bar dataKey="estimate" fill="#3b5bdb" isAnimationActive={false} shape={BarWithWhiskers}>
            {bars.map((b, i) => <Cell key={i} fill={b.fill ?? "#3b5bdb"} />)}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

interface BarShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  fill?: string;
  payload?: { estimate: number; low: number | null; high: number | null };
}

/**
 * A bar plus its interval whiskers. The bar's own geometry gives the value-to-pixel map (0 at
 * its base, the estimate at its end), so the whiskers need no access to the chart's scale.
 */
function BarWithWhiskers({ x = 0, y = 0, width = 0, height = 0, fill, payload }: BarShapeProps) {
  const top = Math.min(y, y + height);
  const bottom = Math.max(y, y + height);
  const bar = <rect x={x} y={top} width={width} height={bottom - top} fill={fill} />;
  if (!payload || payload.low === null || payload.high === null || payload.estimate === 0) return bar;
  const [zeroY, valueY] = payload.estimate > 0 ? [bottom, top] : [top, bottom];
  const yOf = (v: number) => zeroY + (v / payload.estimate) * (valueY - zeroY);
  const cx = x + width / 2;
  const half = Math.min(8, width / 4);
  const [yLow, yHigh] = [yOf(payload.low), yOf(payload.high)];
  return (
    <g>
      {bar}
      <g stroke="#1b1f24" strokeWidth={1.5} data-testid="ci-whisker">
        <line x1={cx} x2={cx} y1={yLow} y2={yHigh} />
        <line x1={cx - half} x2={cx + half} y1={yLow} y2={yLow} />
        <line x1={cx - half} x2={cx + half} y1={yHigh} y2={yHigh} />
      </g>
    </g>
  );
}
