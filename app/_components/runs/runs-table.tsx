"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { RunSummary } from "@/lib/server/dto";
import { formatMetric } from "@/lib/util/format";
import { fetchJson } from "../ui/fetch-json";
import { ProgressBar } from "../ui/progress-bar";
import { StatusBadge } from "../ui/status-badge";

const METRIC_COLUMNS = [
  { key: "ndcg@10", label: "NDCG@10" },
  { key: "recall@10", label: "Recall@10" },
  { key: "hit@10", label: "HitRate@10" },
  { key: "rmse", label: "RMSE" },
] as const;

type SortKey = "name" | "modelName" | "datasetName" | "status" | "createdAt" | (typeof METRIC_COLUMNS)[number]["key"];

export const runsQueryOptions = (datasetId?: string) => ({
  queryKey: ["runs", datasetId ?? "all"],
  queryFn: () => fetchJson<{ runs: RunSummary[] }>(`/api/runs${datasetId ? `?datasetId=${encodeURIComponent(datasetId)}` : ""}`),
  refetchInterval: (query: { state: { data?: { runs: RunSummary[] } } }) =>
    query.state.data?.runs.some((r) => r.status === "QUEUED" || r.status === "RUNNING") ? 1500 : 10_000,
});

function sortValue(run: RunSummary, key: SortKey): string | number {
  if (key === "name" || key === "modelName" || key === "datasetName" || key === "status" || key === "createdAt") return run[key];
  return run.metrics?.[key] ?? Number.NEGATIVE_INFINITY;
}

/** All runs, live: status, progress and key test metrics; click a header to sort. */
export function RunsTable({ initialRuns, datasetId }: { initialRuns: RunSummary[]; datasetId?: string }) {
  const { data } = useQuery({ ...runsQueryOptions(datasetId), initialData: { runs: initialRuns } });
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "createdAt", desc: true });
  const [selected, setSelected] = useState<string[]>([]);
  const runs = useMemo(() => {
    const sorted = [...data.runs].sort((a, b) => {
      const x = sortValue(a, sort.key), y = sortValue(b, sort.key);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return sort.desc ? sorted.reverse() : sorted;
  }, [data.runs, sort]);
  const header = (key: SortKey, label: string, numeric = false) => (
    <th className={numeric ? "num" : undefined} aria-sort={sort.key === key ? (sort.desc ? "descending" : "ascending") : "none"}>
      <button type="button" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : numeric }))}>
        {label}
        {sort.key === key ? (sort.desc ? " ↓" : " ↑") : ""}
      </button>
    </th>
  );
  if (runs.length === 0) return <div className="empty">No runs yet. <Link href="/runs/new">Launch one</Link>.</div>;
  return (
    <>
      <div className="actions" style={{ marginBottom: 8 }}>
        <Link
          className={`button${selected.length < 2 ? " secondary" : ""}`}
          href={selected.length >= 2 ? `/compare?runs=${selected.join(",")}` : "#"}
          aria-disabled={selected.length < 2}
          data-testid="compare-runs"
        >
          Compare{selected.length ? ` ${selected.length}` : ""}
        </Link>
        <span className="muted">{selected.length < 2 ? "Tick two or more finished runs to compare them." : null}</span>
      </div>
      <table className="data" data-testid="runs-table">
        <thead>
          <tr>
            <th><span className="muted">Compare</span></th>
            {header("name", "Run")}
            {header("modelName", "Model")}
            {header("datasetName", "Dataset")}
            {header("status", "Status")}
            <th>Progress</th>
            {METRIC_COLUMNS.map((c) => header(c.key, c.label, true))}
            {header("createdAt", "Created")}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`compare ${run.name}`}
                  disabled={run.status !== "SUCCEEDED"}
                  checked={selected.includes(run.id)}
                  onChange={(e) => setSelected((ids) => (e.target.checked ? [...ids, run.id] : ids.filter((id) => id !== run.id)))}
                />
              </td>
              <td>
                <Link href={`/runs/${run.id}`}>{run.name}</Link>
                {run.variantOf ? <> <span className="tag" data-testid="variant-tag">variant</span><Link href={`/runs/${run.variantOf.runId}`} className="muted">of base run</Link></> : null}
              </td>
              <td>{run.modelName}</td>
              <td><Link href={`/datasets/${run.datasetId}`}>{run.datasetName}</Link></td>
              <td><StatusBadge status={run.status} /></td>
              <td style={{ minWidth: 140 }}>
                {run.status === "RUNNING" || run.status === "QUEUED" ? <ProgressBar value={run.progress} text={run.progressText} /> : <span className="muted">{run.status === "FAILED" ? run.error : "–"}</span>}
              </td>
              {METRIC_COLUMNS.map((c) => (
                <td key={c.key} className="num">{formatMetric(run.metrics?.[c.key])}</td>
              ))}
              <td className="muted">{new Date(run.createdAt).toLocaleString("en-GB")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
