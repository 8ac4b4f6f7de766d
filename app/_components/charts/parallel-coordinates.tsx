"use client";
import { useElementWidth } from "./axis";
import { parallelCoordinatesData, type ParallelLine } from "./parallel-coordinates-data";

export type { ParallelLine } from "./parallel-coordinates-data";

/** Horizontal room one axis needs: its title, tick labels and the gap to the next. */
const AXIS_SPACING = 104;

/**
 * Parallel coordinates (SVG; recharts has none): one vertical axis per hyperparameter and a last
 * one for the metric; each run is a polyline coloured by its metric (darker is better). The chart
 * takes its card's width and draws as many axes as fit (parallel-coordinates-data.ts).
 */
export function ParallelCoordinates({ lines, axes, metricLabel, higherIsBetter = true, height = 300 }: { lines: ParallelLine[]; axes: string[]; metricLabel: string; higherIsBetter?: boolean; height?: number }) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const pad = { top: 28, bottom: 16, left: AXIS_SPACING / 2, right: AXIS_SPACING / 2 };
  const maxAxes = Math.max(2, Math.floor((width - pad.left - pad.right) / AXIS_SPACING) + 1);
  const data = parallelCoordinatesData(lines, axes, { metricLabel, higherIsBetter, maxAxes, maxChars: Math.floor(AXIS_SPACING / 8) });
  if (data.lines.length === 0 || axes.length === 0) return <div className="empty" ref={ref}>No finished runs to plot yet.</div>;
  const x = (i: number) => pad.left + (i * (width - pad.left - pad.right)) / Math.max(1, data.axes.length - 1);
  const y = (t: number) => height - pad.bottom - t * (height - pad.top - pad.bottom);
  return (
    <div ref={ref} data-testid="parallel-coordinates">
      <svg width={width} height={height} role="img" aria-label={`Parallel coordinates of hyperparameters against ${metricLabel}`}>
        {[...data.lines].sort((a, b) => a.shade - b.shade).map((line) => (
          <polyline
            key={line.id}
            fill="none"
            stroke={`rgba(59, 91, 219, ${0.15 + 0.85 * line.shade})`}
            strokeWidth={1.5 + line.shade}
            points={line.points.map((p, i) => `${x(i)},${y(p.t)}`).join(" ")}
          >
            <title>{`${line.label}: ${metricLabel} ${line.metric.toFixed(4)}; ${line.points.slice(0, -1).map((p) => p.text).join(", ")}`}</title>
          </polyline>
        ))}
        {data.axes.map((axis, i) => (
          <g key={axis.key} data-axis={axis.key}>
            <line x1={x(i)} x2={x(i)} y1={pad.top} y2={y(axis.hasMissing ? 0.12 : 0)} stroke="#5b6470" />
            <text x={x(i)} y={14} textAnchor="middle" fontSize={12} fontWeight={600}>
              <title>{axis.title}</title>
              {axis.label}
            </text>
            {axis.ticks.map((tick) =>
              tick.t === 0 && axis.hasMissing ? (
                // The notch of runs without this parameter: below the axis, labelled on its left.
                <g key="missing" data-missing-notch>
                  <title>{`runs without ${axis.title}`}</title>
                  <line x1={x(i) - 6} x2={x(i) + 6} y1={y(0)} y2={y(0)} stroke="#5b6470" strokeWidth={2} />
                  <text x={x(i) - 9} y={y(0) + 4} fontSize={12} fill="#5b6470" textAnchor="end">{tick.label}</text>
                </g>
              ) : (
                <g key={`${tick.label}-${tick.t}`}>
                  <line x1={x(i) - 3} x2={x(i) + 3} y1={y(tick.t)} y2={y(tick.t)} stroke="#5b6470" />
                  <text x={x(i) + 5} y={y(tick.t) + 4} fontSize={10} fill="#5b6470">{tick.label}</text>
                </g>
              ),
            )}
          </g>
        ))}
      </svg>
      {data.hidden.length > 0 ? <p className="muted" data-testid="parallel-hidden">Not drawn for lack of room: {data.hidden.join(", ")} (wider screen shows more).</p> : null}
    </div>
  );
}
