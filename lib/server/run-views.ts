import "server-only";
import type { Prisma } from "../generated/sqlite/client";
import { listModels } from "../models/registry";
import type { TrainingPhase } from "../models/types";
import { toRunRecord } from "../tracking/prisma-store";
import type { RunStatus } from "../tracking/types";
import type { RunRole } from "../experiments/experiment-spec";
import { variantOrigin } from "../storage/rerank-repository";
import type { RunDetail, RunSummary } from "./dto";

export const runInclude = { dataset: { select: { name: true } } } as const;
type RunRow = Prisma.RunGetPayload<{ include: typeof runInclude }>;
type JobRow = { id: string; status: string; attempts: number; maxAttempts: number; progressMessage: string | null; error: string | null; cancelRequested?: boolean };

/**
 * The run as users see it. A job that ended for good without its handler updating the run
 * (e.g. its last worker died) still shows as FAILED, with the queue's reason.
 */
export function toRunSummary(row: RunRow, job?: JobRow | null): RunSummary {
  const record = toRunRecord(row);
  let status: RunStatus = record.status;
  let error = record.error;
  const runOpen = status === "QUEUED" || status === "RUNNING";
  const origin = variantOrigin(record.config);
  if (runOpen && job && (job.status === "FAILED" || job.status === "CANCELLED")) {
    status = job.status;
    error = job.error;
  }
  return {
    id: record.id,
    name: record.name,
    datasetId: record.datasetId,
    datasetName: row.dataset.name,
    modelId: record.modelId,
    modelName: listModels().find((m) => m.id === record.modelId)?.displayName ?? record.modelId,
    status,
    progress: record.progress,
    progressText: runOpen && job ? (job.progressMessage ?? record.progressText) : record.progressText,
    backend: record.backend,
    metrics: record.metrics?.test ?? null,
    error,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
    experimentId: row.experimentId,
    role: row.role as RunRole | null,
    variantOf: origin ? { runId: origin.baseRunId, rerankerId: origin.rerankerId, lambda: origin.lambda } : null,
  };
}

/** The phases of the run's training from its resolved params; none where they no longer parse (an older run). */
function trainingPhasesOf(modelId: string, config: Record<string, unknown>): TrainingPhase[] {
  const definition = listModels().find((m) => m.id === modelId);
  if (!definition?.trainingPhases) return [];
  const params = definition.paramsSchema.safeParse(config.params ?? {});
  return params.success ? definition.trainingPhases(params.data) : [];
}

export function toRunDetail(row: RunRow, job: JobRow | null): RunDetail {
  const record = toRunRecord(row);
  return {
    ...toRunSummary(row, job),
    config: record.config,
    trainingPhases: trainingPhasesOf(record.modelId, record.config),
    result: record.metrics,
    job: job
      ? { id: job.id, status: job.status, attempts: job.attempts, maxAttempts: job.maxAttempts, progressMessage: job.progressMessage, cancelRequested: job.cancelRequested ?? false }
      : null,
  };
}
