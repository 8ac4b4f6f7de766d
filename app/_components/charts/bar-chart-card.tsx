"use client";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { categoryAxisProps, niceAxisProps, useElementWidth } from "./axis";

/** Counts per category (rating histogram, interactions per month, top genres): every label shown. */
export function BarChartCard({ data, xKey, yKey, yLabel, height = 260 }: { data: Record<string, unknown>[]; xKey: string; yKey: string; yLabel: string; height?: number }) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  if (data.length === 0) return <div className="empty">No data.</div>;
  const xAxis = categoryAxisProps(data.map((d) => String(d[xKey])), width - 72);
  return (
    <div className="chart" style={{ height: height + xAxis.height - 30 }} ref={ref} role="img" aria-label={`Bar chart of ${yLabel} by ${xKey}, ${data.length} bars`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" vertical={false} />
          <XAxis dataKey={xKey} {...xAxis} />
          <YAxis tick={{ fontSize: 12 }} width={56} {...niceAxisProps([0, ...data.map((d) => Number(d[yKey]))])} />
          <Tooltip formatter={(v) => [Number(v).toLocaleString("en-US"), yLabel]} />
          <Bar dataKey={yKey} fill="#3b5bdb" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
