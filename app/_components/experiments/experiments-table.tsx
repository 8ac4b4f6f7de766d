"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EXPERIMENT_KIND_LABELS } from "@/lib/experiments/experiment-spec";
import type { ExperimentListItem } from "@/lib/server/dto";
import { metricLabel } from "@/lib/metrics/registry";
import { formatMetric } from "@/lib/util/format";
import { EmptyState } from "../ui/empty-state";
import { fetchJson } from "../ui/fetch-json";
import { ProgressBar } from "../ui/progress-bar";
import { StatusBadge } from "../ui/status-badge";
import { pollWithBackoff } from "@/app/_components/ui/poll-backoff";

const isOpen = (status: string) => status === "QUEUED" || status === "RUNNING";

const pollExperiments = pollWithBackoff<{ experiments: ExperimentListItem[] }>({ open: (d) => d.experiments.some((e) => isOpen(e.status)), idle: 15_000 });

/** Every experiment, live: kind, progress i/N with ETA, best value so far (labelled by split). */
export function ExperimentsTable({ initialExperiments, mayCreate = false }: { initialExperiments: ExperimentListItem[]; mayCreate?: boolean }) {
  const { data } = useQuery({
    queryKey: ["experiments"],
    queryFn: () => fetchJson<{ experiments: ExperimentListItem[] }>("/api/experiments"),
    initialData: { experiments: initialExperiments },
    refetchInterval: pollExperiments,
  });
  if (data.experiments.length === 0) return <EmptyState kind="experiments" mayCreate={mayCreate} />;
  return (
    <table className="data" data-testid="experiments-table">
      <thead>
        <tr>
          <th>Experiment</th>
          <th>Kind</th>
          <th>Model</th>
          <th>Dataset</th>
          <th>Status</th>
          <th>Progress</th>
          <th className="num">Best so far</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {data.experiments.map((e) => (
          <tr key={e.id}>
            <td><Link href={`/experiments/${e.id}`}>{e.name}</Link></td>
            <td>{EXPERIMENT_KIND_LABELS[e.kind]}</td>
            <td>{e.modelName}</td>
            <td><Link href={`/datasets/${e.datasetId}`}>{e.datasetName}</Link></td>
            <td><StatusBadge status={e.status} /></td>
            <td style={{ minWidth: 160 }}>
              {isOpen(e.status) ? <ProgressBar value={e.doneRuns / Math.max(1, e.totalRuns)} text={e.progressText} /> : <span className="muted">{e.status === "FAILED" ? e.error : `${e.doneRuns}/${e.totalRuns} runs`}</span>}
            </td>
            <td className="num">
              {e.best ? <>{formatMetric(e.best.value)} <span className={`label-split ${e.best.split}`}>{e.best.split}</span> <span className="muted">{metricLabel(e.selectionMetric)}</span></> : "–"}
            </td>
            <td className="muted">{new Date(e.createdAt).toLocaleString("en-GB")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
