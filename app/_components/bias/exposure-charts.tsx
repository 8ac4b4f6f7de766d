"use client";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CurvePoint, GenreShare, LongTailPoint } from "@/lib/fairness/exposure-report";

const percent = (v: number) => `${Math.round(v * 100)}%`;

/** Share of training interactions vs share of recommendation slots, items by popularity rank. */
export function LongTailExposureChart({ points, height = 260 }: { points: LongTailPoint[]; height?: number }) {
  if (points.length === 0) return <div className="empty">No data.</div>;
  return (
    <div className="chart" style={{ height }} data-testid="long-tail-exposure" role="img" aria-label="Long-tail exposure: share of recommendations against item popularity rank">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" />
          <XAxis dataKey="rank" type="number" domain={[0, "dataMax"]} tick={{ fontSize: 11 }} label={{ value: "item popularity rank", position: "insideBottomRight", offset: -4, fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} width={44} tickFormatter={percent} />
          <Tooltip formatter={(v) => percent(Number(v))} labelFormatter={(r) => `items up to rank ${r}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="popularity" name="training interactions" stroke="#5b6470" dot={false} isAnimationActive={false} />
          <Line dataKey="exposure" name="recommendation slots" stroke="#3b5bdb" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Lorenz curve of exposure against the line of equal exposure. */
export function LorenzChart({ points, height = 260 }: { points: CurvePoint[]; height?: number }) {
  const data = points.map((p) => ({ ...p, equal: p.x }));
  return (
    <div className="chart" style={{ height }} data-testid="lorenz-curve" role="img" aria-label="Lorenz curve of exposure: cumulative share of recommendations against the share of items, the diagonal being equal exposure">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" />
          <XAxis dataKey="x" type="number" domain={[0, 1]} tick={{ fontSize: 11 }} tickFormatter={percent} label={{ value: "share of items", position: "insideBottomRight", offset: -4, fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} width={44} domain={[0, 1]} tickFormatter={percent} />
          <Tooltip formatter={(v) => percent(Number(v))} labelFormatter={(x) => `least exposed ${percent(Number(x))} of items`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="y" name="share of slots" stroke="#3b5bdb" dot={false} isAnimationActive={false} />
          <Line dataKey="equal" name="equal exposure" stroke="#adb5bd" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Genre distribution of users' histories vs the recommendations (Steck's calibration, as shares). */
export function CalibrationChart({ genres, height = 280 }: { genres: GenreShare[]; height?: number }) {
  if (genres.length === 0) return <div className="empty">No data.</div>;
  return (
    <div className="chart" style={{ height }} data-testid="calibration-chart" role="img" aria-label="Calibration: genre shares of users' histories against their recommendations">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={genres.slice(0, 20)} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ea" vertical={false} />
          <XAxis dataKey="genre" tick={{ fontSize: 10 }} interval={0} angle={-35} textAnchor="end" height={60} />
          <YAxis tick={{ fontSize: 11 }} width={44} tickFormatter={percent} />
          <Tooltip formatter={(v) => percent(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="history" name="histories" fill="#adb5bd" isAnimationActive={false} />
          <Bar dataKey="recommended" name="recommendations" fill="#3b5bdb" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
