"use client";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Item popularity by rank on a log scale: the long tail. */
export function LongTailChart({ data, height = 260 }: { data: { rank: number; count: number }[]; height?: number }) {
  const points = data.filter((d) => d.count > 0);
  if (points.length === 0) return <div className="empty">No data.</div>;
  return (
    <div className="chart" style={{ height }} role="img" aria-label={`Long tail: interactions per item by popularity rank, ${data.length} items; the most popular has ${data[0]?.count ?? 0}`}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" />
          <XAxis dataKey="rank" type="number" domain={[1, "dataMax"]} tick={{ fontSize: 12 }} label={{ value: "item rank", position: "insideBottomRight", offset: -4, fontSize: 12 }} />
          <YAxis dataKey="count" scale="log" domain={[1, "auto"]} allowDataOverflow tick={{ fontSize: 12 }} width={56} />
          <Tooltip formatter={(v) => [Number(v).toLocaleString("en-US"), "interactions"]} labelFormatter={(r) => `rank ${r}`} />
          <Area dataKey="count" stroke="#3b5bdb" fill="#e7ecff" isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
