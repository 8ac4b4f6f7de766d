import type { ExperimentKind, ExperimentResult, RunRole } from "./experiment-spec";
import type { Prisma } from "../generated/sqlite/client";
import { gain } from "../metrics/direction";
import { listModels } from "../models/registry";
import type { RunMetrics, RunStatus } from "../tracking/types";
import { formatEta } from "../util/format";
import { mean, sampleStd } from "../stats/summary";
import type { ExperimentDetail, ExperimentListItem, ExperimentRun } from "../server/dto";

export const experimentInclude = {
  dataset: { select: { name: true } },
  runs: { orderBy: [{ trialIndex: "asc" }, { createdAt: "asc" }] },
} as const satisfies Prisma.ExperimentInclude;
type ExperimentRow = Prisma.ExperimentGetPayload<{ include: typeof experimentInclude }>;

/** What a list row reads: no configs, spec or summary, and of each run only its outcome. */
export const experimentListSelect = {
  id: true,
  name: true,
  kind: true,
  datasetId: true,
  modelId: true,
  status: true,
  selectionMetric: true,
  totalRuns: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  dataset: { select: { name: true } },
  runs: { select: { id: true, name: true, role: true, status: true, startedAt: true, finishedAt: true, metrics: true } },
} as const satisfies Prisma.ExperimentSelect;
type ExperimentListRow = Prisma.ExperimentGetPayload<{ select: typeof experimentListSelect }>;
type RunRow = ExperimentRow["runs"][number];

const SETTLED = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

export function toExperimentRun(row: RunRow): ExperimentRun {
  const config = JSON.parse(row.config) as { params?: Record<string, unknown>; seed?: number };
  const metrics = row.metrics ? (JSON.parse(row.metrics) as RunMetrics) : null;
  const test = metrics && Object.keys(metrics.test).length > 0 ? metrics.test : null;
  return {
    id: row.id,
    name: row.name,
    role: (row.role ?? "trial") as RunRole,
    trialIndex: row.trialIndex ?? 0,
    status: row.status as RunStatus,
    progress: row.progress,
    progressText: row.progressText,
    params: config.params ?? {},
    seed: config.seed ?? 0,
    validation: metrics?.validation ?? null,
    test,
    bestEpoch: metrics?.fit.bestEpoch ?? null,
    fitSeconds: metrics?.fit.seconds ?? null,
    error: row.error,
  };
}

/**
 * Progress as users read it: runs done of planned, an ETA from the mean duration of finished
 * runs spread over the runs in flight, and the best value so far (validation for a search).
 */
export function toExperimentListItem(row: ExperimentListRow): ExperimentListItem {
  const planned = row.runs.filter((r) => r.role !== "final");
  const done = planned.filter((r) => SETTLED.has(r.status));
  const running = planned.filter((r) => r.status === "RUNNING");
  const kind = row.kind as ExperimentKind;
  const search = kind === "grid" || kind === "random";
  const durations = done
    .filter((r) => r.status === "SUCCEEDED" && r.startedAt && r.finishedAt)
    .map((r) => (r.finishedAt!.getTime() - r.startedAt!.getTime()) / 1000);
  const remaining = row.totalRuns - done.length;
  const open = row.status === "QUEUED" || row.status === "RUNNING";
  const etaSeconds = open && durations.length > 0 && remaining > 0 ? (durations.reduce((a, b) => a + b, 0) / durations.length) * Math.ceil(remaining / Math.max(1, running.length)) : null;
  const unit = { grid: "trial", random: "trial", cv: "fold", ablation: "run" }[kind];
  let progressText: string;
  if (!open) progressText = row.status === "SUCCEEDED" ? "done" : row.status.toLowerCase();
  else if (remaining === 0) progressText = search ? "finalising: retraining the best configuration and evaluating it on test" : "finalising: aggregating results";
  else progressText = `${unit} ${done.length}/${row.totalRuns} · ETA ${etaSeconds === null ? "–" : formatEta(etaSeconds)}`;

  const split = search ? "validation" : "test";
  let best: ExperimentListItem["best"] = null;
  for (const r of planned) {
    if (r.status !== "SUCCEEDED" || !r.metrics) continue;
    const value = (JSON.parse(r.metrics) as RunMetrics)[split][row.selectionMetric];
    if (!Number.isFinite(value)) continue;
    if (!best || gain(row.selectionMetric, value - best.value) > 0) best = { runId: r.id, name: r.name, value, split };
  }
  const foldValues = kind === "cv" ? planned.filter((r) => r.status === "SUCCEEDED" && r.metrics).map((r) => (JSON.parse(r.metrics!) as RunMetrics).test[row.selectionMetric]).filter(Number.isFinite) : [];
  const foldMean = foldValues.length > 0 ? { value: mean(foldValues), sd: foldValues.length > 1 ? sampleStd(foldValues) : null, folds: foldValues.length } : null;
  return {
    id: row.id,
    name: row.name,
    kind,
    datasetId: row.datasetId,
    datasetName: row.dataset.name,
    modelId: row.modelId,
    modelName: listModels().find((m) => m.id === row.modelId)?.displayName ?? row.modelId,
    status: row.status as RunStatus,
    selectionMetric: row.selectionMetric,
    totalRuns: row.totalRuns,
    doneRuns: done.length,
    runningRuns: running.length,
    failedRuns: done.filter((r) => r.status === "FAILED").length,
    progressText,
    etaSeconds,
    best,
    foldMean,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function toExperimentDetail(row: ExperimentRow): ExperimentDetail {
  const runs = row.runs.map(toExperimentRun);
  return {
    ...toExperimentListItem(row),
    baseConfig: JSON.parse(row.baseConfig) as Record<string, unknown>,
    spec: JSON.parse(row.spec) as Record<string, unknown>,
    varying: varyingParams(runs.map((r) => r.params)),
    runs: runs.filter((r) => r.role !== "final"),
    finalRun: runs.find((r) => r.role === "final") ?? null,
    result: row.summary ? (JSON.parse(row.summary) as ExperimentResult) : null,
  };
}

/** Names of the hyperparameters whose values differ between the given param sets. */
export function varyingParams(params: Record<string, unknown>[]): string[] {
  const names = [...new Set(params.flatMap((p) => Object.keys(p)))];
  return names.filter((name) => new Set(params.map((p) => JSON.stringify(p[name] ?? null))).size > 1);
}
