import { getMetricOrThrow, parseMetricKey } from "@/lib/metrics/registry";
import { formatMetric } from "@/lib/util/format";
import { Term } from "../ui/term";

/** Metrics as a grid: one row per metric, one column per cut-off K (rating metrics in their own rows). */
export function MetricsTable({ metrics, testId }: { metrics: Record<string, number>; testId?: string }) {
  const byMetric = new Map<string, Map<number | null, number>>();
  const ks = new Set<number>();
  for (const [key, value] of Object.entries(metrics)) {
    const { id, k } = parseMetricKey(key);
    if (k !== undefined) ks.add(k);
    const row = byMetric.get(id) ?? new Map<number | null, number>();
    row.set(k ?? null, value);
    byMetric.set(id, row);
  }
  const cutoffs = [...ks].sort((a, b) => a - b);
  const hasPlain = [...byMetric.values()].some((row) => row.has(null));
  return (
    <table className="data" data-testid={testId}>
      <thead>
        <tr>
          <th>Metric</th>
          {cutoffs.map((k) => <th key={k} className="num">@{k}</th>)}
          {hasPlain ? <th className="num">value</th> : null}
        </tr>
      </thead>
      <tbody>
        {[...byMetric].map(([id, row]) => (
          <tr key={id}>
            <td><Term id={id}>{getMetricOrThrow(id).displayName}</Term></td>
            {cutoffs.map((k) => (
              <td key={k} className="num" data-metric={`${id}@${k}`}>{row.has(k) ? formatMetric(row.get(k)) : ""}</td>
            ))}
            {hasPlain ? <td className="num" data-metric={id}>{row.has(null) ? formatMetric(row.get(null)) : ""}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
