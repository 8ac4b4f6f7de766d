"use client";

export interface ParallelLine {
  id: string;
  label: string;
  /** Axis name -> value; strings and booleans are placed as categories. */
  values: Record<string, unknown>;
  metric: number | null;
}

/**
 * Parallel coordinates (SVG; recharts has none): one vertical axis per hyperparameter and a last
 * one for the metric; each run is a polyline coloured by its metric (darker is better).
 */
export function ParallelCoordinates({ lines, axes, metricLabel, higherIsBetter = true, height = 300 }: { lines: ParallelLine[]; axes: string[]; metricLabel: string; higherIsBetter?: boolean; height?: number }) {
  const shown = lines.filter((l) => l.metric !== null && Number.isFinite(l.metric));
  if (shown.length === 0 || axes.length === 0) return <div className="empty">No finished runs to plot yet.</div>;
  const all = [...axes, "__metric"];
  const width = Math.max(480, all.length * 150);
  const pad = { top: 28, bottom: 24, left: 50, right: 50 };
  const x = (i: number) => pad.left + (i * (width - pad.left - pad.right)) / Math.max(1, all.length - 1);
  const scales = all.map((axis) => {
    const raw = shown.map((l) => (axis === "__metric" ? l.metric : l.values[axis]));
    const numeric = raw.every((v) => typeof v === "number");
    if (numeric) {
      const nums = raw as number[];
      const lo = Math.min(...nums), hi = Math.max(...nums);
      const log = axis !== "__metric" && lo > 0 && hi / lo >= 100;
      const f = (v: number) => (log ? Math.log(v) : v);
      const span = f(hi) - f(lo) || 1;
      return { ticks: [lo, hi].map((v) => Number(v.toPrecision(3)).toString()), pos: (v: unknown) => (f(v as number) - f(lo)) / span };
    }
    const cats = [...new Set(raw.map((v) => String(v)))];
    return { ticks: cats, pos: (v: unknown) => (cats.length === 1 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1)) };
  });
  const y = (t: number) => height - pad.bottom - t * (height - pad.top - pad.bottom);
  const metrics = shown.map((l) => l.metric as number);
  const mlo = Math.min(...metrics), mhi = Math.max(...metrics);
  const shade = (m: number) => {
    const t = mhi === mlo ? 1 : (m - mlo) / (mhi - mlo);
    return higherIsBetter ? t : 1 - t;
  };
  return (
    <div style={{ overflowX: "auto" }} data-testid="parallel-coordinates">
      <svg width={width} height={height} role="img" aria-label={`Parallel coordinates of hyperparameters against ${metricLabel}`}>
        {[...shown].sort((a, b) => shade(a.metric!) - shade(b.metric!)).map((line) => (
          <polyline
            key={line.id}
            fill="none"
            stroke={`rgba(59, 91, 219, ${0.15 + 0.85 * shade(line.metric!)})`}
            strokeWidth={1.5 + shade(line.metric!)}
            points={all.map((axis, i) => `${x(i)},${y(scales[i].pos(axis === "__metric" ? line.metric : line.values[axis]))}`).join(" ")}
          >
            <title>{`${line.label}: ${metricLabel} ${line.metric!.toFixed(4)}`}</title>
          </polyline>
        ))}
        {all.map((axis, i) => (
          <g key={axis}>
            <line x1={x(i)} x2={x(i)} y1={pad.top} y2={height - pad.bottom} stroke="#5b6470" />
            <text x={x(i)} y={14} textAnchor="middle" fontSize={12} fontWeight={600}>{axis === "__metric" ? metricLabel : axis}</text>
            {scales[i].ticks.map((tick, k) => {
              const t = scales[i].ticks.length === 1 ? 0.5 : k / (scales[i].ticks.length - 1);
              return <text key={tick} x={x(i) + 5} y={y(t) + 4} fontSize={10} fill="#5b6470">{tick}</text>;
            })}
          </g>
        ))}
      </svg>
    </div>
  );
}
