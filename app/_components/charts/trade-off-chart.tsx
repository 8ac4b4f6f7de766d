"use client";
import { CartesianGrid, Cell, ComposedChart, LabelList, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import { metricLabel } from "@/lib/metrics/registry";
import { formatMetric } from "@/lib/util/format";

export interface TradeOffDatum {
  lambda: number;
  x: number;
  y: number;
  /** "better" / "worse" than the base ranking on both axes, or "mixed". */
  verdict: "base" | "better" | "worse" | "mixed";
}

const COLOURS: Record<TradeOffDatum["verdict"], string> = { base: "#495057", better: "#2b8a3e", worse: "#c92a2a", mixed: "#e67700" };

/**
 * A re-ranker's trade-off curve: the metric it targets (x) against accuracy (y), one labelled
 * point per λ, joined in λ order. Clicking a point calls `onPick` with its λ.
 */
export function TradeOffChart({ data, x, y, onPick, height = 300 }: { data: TradeOffDatum[]; x: string; y: string; onPick?: (lambda: number) => void; height?: number }) {
  if (data.length === 0) return <div className="empty">No points.</div>;
  return (
    <div className="chart" style={{ height }} data-testid="trade-off-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 16, right: 24, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" />
          <XAxis dataKey="x" type="number" domain={["auto", "auto"]} tick={{ fontSize: 12 }} tickFormatter={(v) => formatMetric(Number(v))} label={{ value: metricLabel(x), position: "insideBottomRight", offset: -8, fontSize: 12 }} />
          <YAxis dataKey="y" type="number" domain={["auto", "auto"]} tick={{ fontSize: 12 }} tickFormatter={(v) => formatMetric(Number(v))} width={60} label={{ value: metricLabel(y), angle: -90, position: "insideLeft", fontSize: 12 }} />
          <Tooltip formatter={(v, name) => [formatMetric(Number(v)), name === "x" ? metricLabel(x) : metricLabel(y)]} labelFormatter={() => ""} />
          <Line dataKey="y" stroke="#adb5bd" dot={false} isAnimationActive={false} legendType="none" />
          <Scatter dataKey="y" isAnimationActive={false} onClick={(point) => { const lambda = (point.payload as TradeOffDatum | undefined)?.lambda; if (lambda !== undefined) onPick?.(lambda); }} cursor={onPick ? "pointer" : undefined}>
            {data.map((d) => <Cell key={d.lambda} fill={COLOURS[d.verdict]} />)}
            <LabelList dataKey="lambda" position="top" formatter={(v: unknown) => `λ=${v}`} style={{ fontSize: 11 }} />
          </Scatter>
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
