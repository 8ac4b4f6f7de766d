"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RunsListExperiment, RunsListItem, RunsListPage, RunsListRun } from "@/lib/server/dto";
import { EXPERIMENT_KIND_LABELS } from "@/lib/experiments/experiment-spec";
import { metricLabel } from "@/lib/metrics/registry";
import { formatMetric } from "@/lib/util/format";
import { fetchJson } from "../ui/fetch-json";
import { ProgressBar } from "../ui/progress-bar";
import { StatusBadge } from "../ui/status-badge";
import { RunsFilterBar, type FilterOptions } from "./runs-filter-bar";
import { filtersToParams, type RunsListFilters } from "./runs-list-query";
import { pollWithBackoff } from "@/app/_components/ui/poll-backoff";

const METRIC_COLUMNS = [
  { key: "ndcg@10", label: "NDCG@10", priority: 1 },
  { key: "recall@10", label: "Recall@10", priority: 3 },
  { key: "hit@10", label: "HitRate@10", priority: 3 },
  { key: "rmse", label: "RMSE", priority: 3 },
] as const;
const COLUMN_COUNT = 7 + METRIC_COLUMNS.length;

const isOpen = (status: string) => status === "QUEUED" || status === "RUNNING";
const anyOpen = (items: RunsListItem[]) => items.some((i) => isOpen(i.status));

const pollRunsPage = pollWithBackoff<RunsListPage>({ open: (d) => anyOpen(d.items), base: 2000, idle: 15_000 });

function pageQuery(filters: RunsListFilters, cursor: string | null) {
  const params = filtersToParams(filters, cursor).toString();
  return {
    queryKey: ["runs-list", params],
    queryFn: () => fetchJson<RunsListPage>(`/api/runs?${params}`),
    refetchInterval: pollRunsPage,
  };
}

/**
 * The runs list: standalone runs and one folded row per experiment (expand it for its trials,
 * folds or variants), filtered, sorted and paged by the server. Filters live in the URL when
 * `urlSync` is set (the /runs page), so a filtered list can be shared. Low-priority columns hide
 * on narrow screens; what remains scrolls inside the table, never the page.
 */
export function RunsList({ initial, filters: initialFilters, options, urlSync = false }: { initial: RunsListPage; filters: RunsListFilters; options?: FilterOptions; urlSync?: boolean }) {
  const router = useRouter();
  const [filters, setFilters] = useState(initialFilters);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const isInitial = cursor === null && filters === initialFilters;
  // The previous page stays on screen while the next one (or a new filter) loads.
  const { data, error } = useQuery({ ...pageQuery(filters, cursor), ...(isInitial ? { initialData: initial } : { placeholderData: keepPreviousData }) });

  const update = (next: RunsListFilters) => {
    setFilters(next);
    setCursors([null]);
    if (urlSync) router.replace(`?${filtersToParams(next).toString()}`, { scroll: false });
  };
  const sortBy = (sort: string) => {
    const current = filters.sort ?? "created";
    const order = current === sort ? ((filters.order ?? (sort === "created" ? "desc" : "asc")) === "asc" ? "desc" : "asc") : sort === "created" ? "desc" : "asc";
    update({ ...filters, sort, order });
  };
  const header = (sort: string, label: string, className?: string) => {
    const active = (filters.sort ?? "created") === sort;
    const desc = (filters.order ?? (sort === "created" ? "desc" : "asc")) === "desc";
    return (
      <th className={className} aria-sort={active ? (desc ? "descending" : "ascending") : "none"}>
        <button type="button" onClick={() => sortBy(sort)}>
          {label}
          {active ? (desc ? " ↓" : " ↑") : ""}
        </button>
      </th>
    );
  };
  const toggle = (id: string, on: boolean) => setSelected((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  const items = data?.items ?? [];

  return (
    <>
      {options ? <RunsFilterBar filters={filters} options={options} onChange={update} /> : null}
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
      {error ? <div className="alert error" role="alert">{(error as Error).message}</div> : null}
      {data && items.length === 0 ? (
        <div className="empty" data-testid="runs-empty">No runs match these filters.</div>
      ) : items.length === 0 ? null : (
        <div className="table-scroll">
          <table className="data runs-list" data-testid="runs-table">
            <thead>
              <tr>
                <th><span className="muted">Compare</span></th>
                {header("name", "Run or experiment")}
                {header("model", "Model", "prio-2")}
                {header("dataset", "Dataset", "prio-3")}
                <th className="prio-2">Split</th>
                {header("status", "Status")}
                {METRIC_COLUMNS.map((c) => (
                  <th key={c.key} className={`num prio-${c.priority}`}>{c.label}</th>
                ))}
                {header("created", "Created", "prio-3")}
              </tr>
            </thead>
            <tbody>
              {items.map((item) =>
                item.type === "experiment" ? (
                  <ExperimentRows key={`e-${item.id}`} experiment={item} selected={selected} onToggle={toggle} />
                ) : (
                  <RunRow key={`r-${item.id}`} run={item} selected={selected.includes(item.id)} onToggle={toggle} />
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {cursors.length > 1 || data?.nextCursor ? (
        <div className="actions" style={{ marginTop: 10 }}>
          <button type="button" className="secondary" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>Previous page</button>
          <span className="muted">page {cursors.length}</span>
          <button type="button" className="secondary" disabled={!data?.nextCursor} onClick={() => data?.nextCursor && setCursors((c) => [...c, data.nextCursor])}>Next page</button>
        </div>
      ) : null}
    </>
  );
}

function SplitCell({ kind }: { kind: string | null }) {
  return <td className="prio-2">{kind ? <span className="tag" data-testid="split-kind">{kind.replace(/-/g, " ")}</span> : <span className="muted">–</span>}</td>;
}

function RunRow({ run, selected, onToggle, member = false }: { run: RunsListRun; selected: boolean; onToggle: (id: string, on: boolean) => void; member?: boolean }) {
  const validationOnly = run.metricsSplit === "validation";
  return (
    <tr className={member ? "member-row" : undefined} data-testid={member ? "member-row" : "run-row"}>
      <td>
        <input type="checkbox" aria-label={`compare ${run.name}`} disabled={run.status !== "SUCCEEDED" || validationOnly} checked={selected} onChange={(e) => onToggle(run.id, e.target.checked)} />
      </td>
      <td className="name-cell">
        <Link href={`/runs/${run.id}`}>{run.name}</Link>
        {run.baseRunId ? <> <span className="tag" data-testid="variant-tag">variant</span><Link href={`/runs/${run.baseRunId}`} className="muted">of base run</Link></> : null}
        {run.status === "RUNNING" || run.status === "QUEUED" ? <ProgressBar value={run.progress} text={run.progressText} /> : null}
        {run.status === "FAILED" && run.error ? <div className="progress-text">{run.error}</div> : null}
      </td>
      <td className="prio-2">{run.modelName}</td>
      <td className="prio-3"><Link href={`/datasets/${run.datasetId}`}>{run.datasetName}</Link></td>
      <SplitCell kind={run.splitKind} />
      <td>
        <StatusBadge status={run.status} />
        {validationOnly ? <div className="progress-text" data-testid="validation-only">validation only</div> : null}
      </td>
      {METRIC_COLUMNS.map((c) => (
        <td key={c.key} className={`num prio-${c.priority}`} title={validationOnly ? "validation (search trials are not evaluated on test)" : undefined}>
          {formatMetric(run.metrics?.[c.key])}
          {validationOnly && run.metrics?.[c.key] !== undefined ? <span className="muted"> val</span> : null}
        </td>
      ))}
      <td className="muted prio-3">{new Date(run.createdAt).toLocaleString("en-GB")}</td>
    </tr>
  );
}

function statusSummary(e: RunsListExperiment): string {
  const parts = Object.entries(e.statusCounts).map(([status, n]) => `${n} ${status.toLowerCase()}`);
  return parts.join(", ");
}

/** One folded row; expanded, the experiment's runs below it (fetched on demand). */
function ExperimentRows({ experiment: e, selected, onToggle }: { experiment: RunsListExperiment; selected: string[]; onToggle: (id: string, on: boolean) => void }) {
  const [open, setOpen] = useState(false);
  const members = useQuery({ ...pageQuery({ experiment: e.id, scope: "team", limit: 100 }, null), enabled: open });
  const best = e.best;
  return (
    <>
      <tr className="experiment-row" data-testid="experiment-row">
        <td>
          <button type="button" className="secondary expand" aria-expanded={open} aria-label={`${open ? "Hide" : "Show"} the runs of ${e.name}`} onClick={() => setOpen((o) => !o)}>
            {open ? "−" : "+"}
          </button>
        </td>
        <td className="name-cell">
          <Link href={`/experiments/${e.id}`}>{e.name}</Link>{" "}
          <span className="tag">{EXPERIMENT_KIND_LABELS[e.kind]}</span>
          <span className="muted" data-testid="trial-count">{e.totalRuns} {e.kind === "cv" ? "folds" : e.kind === "ablation" ? "runs" : "trials"}</span>
        </td>
        <td className="prio-2">{e.modelName}</td>
        <td className="prio-3"><Link href={`/datasets/${e.datasetId}`}>{e.datasetName}</Link></td>
        <SplitCell kind={e.splitKind} />
        <td>
          <StatusBadge status={e.status} />
          <div className="progress-text">{statusSummary(e)}</div>
        </td>
        <td className="num prio-1" colSpan={1}>
          {best ? (
            <span title={`${metricLabel(best.metric)} on ${best.split}: ${best.label}`}>
              {best.metric === "ndcg@10" ? "" : `${metricLabel(best.metric)} `}
              {formatMetric(best.value)}
              {best.sd !== null ? ` ± ${formatMetric(best.sd)}` : ""}
              <div className="progress-text">{best.label}{best.split === "validation" ? " (validation)" : ""}</div>
            </span>
          ) : (
            "–"
          )}
        </td>
        {METRIC_COLUMNS.slice(1).map((c) => (
          <td key={c.key} className={`num prio-${c.priority} muted`}>·</td>
        ))}
        <td className="muted prio-3">{new Date(e.createdAt).toLocaleString("en-GB")}</td>
      </tr>
      {open ? (
        members.data ? (
          members.data.items.map((m) => (m.type === "run" ? <RunRow key={m.id} run={m} member selected={selected.includes(m.id)} onToggle={onToggle} /> : null))
        ) : (
          <tr className="member-row"><td colSpan={COLUMN_COUNT} className="muted">{members.error ? (members.error as Error).message : "loading runs…"}</td></tr>
        )
      ) : null}
    </>
  );
}
