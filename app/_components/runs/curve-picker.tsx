"use client";
import { useMemo, useState } from "react";
import { getMetricOrThrow, orderMetricKeys, parseMetricKey } from "@/lib/metrics/registry";
import { LineChartCard, type Series, type StepMark } from "../charts/line-chart-card";

type History = Record<string, { step: number; value: number }[]>;

/**
 * Validation learning curves: pick metrics (chips) and one cut-off K; rating metrics have no K.
 * Starts with the early-stopping metric and Recall at the same K.
 */
export function CurvePicker({ history, monitor, emptyText, marks }: { history: History; monitor: string; emptyText?: string; marks?: StepMark[] }) {
  const keys = orderMetricKeys(Object.keys(history).filter((k) => k.startsWith("validation/")).map((k) => k.slice("validation/".length)));
  const parsed = keys.map((key) => ({ key, ...parseMetricKey(key) }));
  const ids = [...new Set(parsed.map((p) => p.id))];
  const ks = [...new Set(parsed.flatMap((p) => (p.k === undefined ? [] : [p.k])))].sort((a, b) => a - b);
  const monitorKey = parseMetricKey(monitor);
  const [k, setK] = useState<number>(monitorKey.k ?? 10);
  const [chosen, setChosen] = useState<string[]>(() => [...new Set([monitorKey.id, "recall", "rmse"])]);
  const series: Series[] = useMemo(
    () =>
      parsed
        .filter((p) => chosen.includes(p.id) && (p.k === undefined || p.k === k))
        .map((p) => ({ key: p.key, label: `validation ${getMetricOrThrow(p.id).displayName}${p.k ? `@${p.k}` : ""}`, points: history[`validation/${p.key}`] })),
    [parsed, chosen, k, history],
  );
  return (
    <>
      <div className="actions" style={{ marginBottom: 8 }}>
        {ids.map((id) => (
          <label key={id} className="tag">
            <input type="checkbox" checked={chosen.includes(id)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, id] : c.filter((x) => x !== id)))} />{" "}
            {getMetricOrThrow(id).displayName}
          </label>
        ))}
        {ks.length > 1 ? (
          <label className="tag">
            K{" "}
            <select aria-label="cut-off K" value={k} onChange={(e) => setK(Number(e.target.value))}>
              {ks.map((x) => <option key={x} value={x}>{x}</option>)}
            </select>
          </label>
        ) : null}
      </div>
      <LineChartCard series={series} emptyText={emptyText} marks={marks} />
    </>
  );
}
