"use client";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { niceAxisProps } from "./axis";

const COLORS = ["#3b5bdb", "#e8590c", "#2b8a3e", "#ae3ec9", "#1098ad", "#c92a2a", "#5c940d", "#495057"];

export interface Series {
  key: string;
  label: string;
  points: { step: number; value: number }[];
}

/** A labelled vertical line at a step (where training changes phase). */
export interface StepMark {
  step: number;
  label: string;
}

/** Several metric series over steps (epochs), e.g. a learning curve; `emptyText` when there is none; `marks` inside the drawn steps get a dashed line. */
export function LineChartCard({ series, xLabel = "epoch", height = 280, emptyText = "No points yet.", marks = [] }: { series: Series[]; xLabel?: string; height?: number; emptyText?: string; marks?: StepMark[] }) {
  const steps = new Map<number, Record<string, number>>();
  for (const s of series) {
    for (const p of s.points) {
      const row = steps.get(p.step) ?? { step: p.step };
      row[s.key] = p.value;
      steps.set(p.step, row);
    }
  }
  const data = [...steps.values()].sort((a, b) => a.step - b.step);
  if (data.length === 0) return <div className="empty">{emptyText}</div>;
  const shown = marks.filter((m) => m.step >= data[0].step && m.step <= data[data.length - 1].step);
  const marked = shown.map((m) => `; ${m.label} at ${xLabel} ${m.step}`).join("");
  return (
    <div className="chart" style={{ height }} role="img" aria-label={`Line chart over ${xLabel}: ${series.map((s) => s.label).join(", ")}${marked}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" />
          <XAxis dataKey="step" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} label={{ value: xLabel, position: "insideBottomRight", offset: -4, fontSize: 12 }} tick={{ fontSize: 12 }} />
          <YAxis tick={{ fontSize: 12 }} width={56} {...niceAxisProps(series.flatMap((s) => s.points.map((p) => p.value)))} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} />
          {/* Above the plot: below it, a wrapped legend on a phone ran into the x axis's label. */}
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
          {shown.map((m) => (
            <ReferenceLine key={`${m.step}-${m.label}`} x={m.step} stroke="#868e96" strokeDasharray="4 4" label={{ value: m.label, position: "insideTopLeft", fontSize: 11, fill: "#495057" }} />
          ))}
          {series.map((s, i) => (
            <Line key={s.key} dataKey={s.key} name={s.label} stroke={COLORS[i % COLORS.length]} dot={data.length < 40} strokeWidth={2} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
