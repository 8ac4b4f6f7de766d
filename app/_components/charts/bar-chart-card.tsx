"use client";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Counts per category (rating histogram, interactions per month, top genres). */
export function BarChartCard({ data, xKey, yKey, yLabel, height = 260 }: { data: Record<string, unknown>[]; xKey: string; yKey: string; yLabel: string; height?: number }) {
  if (data.length === 0) return <div className="empty">No data.</div>;
  return (
    <div className="chart" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" vertical={false} />
          <XAxis dataKey={xKey} tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 12 }} width={56} />
          <Tooltip formatter={(v) => [Number(v).toLocaleString("en-US"), yLabel]} />
          <Bar dataKey={yKey} fill="#3b5bdb" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
