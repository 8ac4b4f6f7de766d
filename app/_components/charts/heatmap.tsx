"use client";

export interface HeatmapCell {
  x: string;
  y: string;
  value: number | null;
}

/** A two-parameter grid coloured by a metric (darker is better); recharts has no heatmap. */
export function Heatmap({ cells, xLabel, yLabel, valueLabel, higherIsBetter = true }: { cells: HeatmapCell[]; xLabel: string; yLabel: string; valueLabel: string; higherIsBetter?: boolean }) {
  const xs = [...new Set(cells.map((c) => c.x))];
  const ys = [...new Set(cells.map((c) => c.y))];
  const values = cells.map((c) => c.value).filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return <div className="empty">No finished trials yet.</div>;
  const lo = Math.min(...values), hi = Math.max(...values);
  const shade = (v: number) => {
    const t = hi === lo ? 1 : (v - lo) / (hi - lo);
    return higherIsBetter ? t : 1 - t;
  };
  const at = (x: string, y: string) => cells.find((c) => c.x === x && c.y === y)?.value ?? null;
  return (
    <div data-testid="heatmap" style={{ overflowX: "auto" }}>
      <table className="heatmap">
        <thead>
          <tr>
            <th>{yLabel} ↓ · {xLabel} →</th>
            {xs.map((x) => <th key={x}>{x}</th>)}
          </tr>
        </thead>
        <tbody>
          {ys.map((y) => (
            <tr key={y}>
              <th>{y}</th>
              {xs.map((x) => {
                const v = at(x, y);
                const t = v === null ? 0 : shade(v);
                return (
                  <td key={x} title={`${xLabel}=${x}, ${yLabel}=${y}: ${valueLabel} ${v === null ? "–" : v.toFixed(4)}`} style={{ background: v === null ? "#f6f7f9" : `rgba(59, 91, 219, ${0.1 + 0.85 * t})`, color: t > 0.55 ? "#fff" : "#1b1f24" }}>
                    {v === null ? "–" : v.toFixed(4)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
