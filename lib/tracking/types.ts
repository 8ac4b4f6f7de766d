import type { SplitTies } from "../datasets/types";
/**
 * The experiment-tracking seam (after MLflow's tracking store): runs, their resolved config,
 * metric history (learning curves), final metrics and binary artefacts. Implementations return
 * plain entities: Prisma (lib/tracking/prisma-store.ts) and in-memory (memory-store.ts).
 */

import type { LifecycleStatus } from "../util/lifecycle";

export { LIFECYCLE_STATUSES as RUN_STATUSES } from "../util/lifecycle";
export type RunStatus = LifecycleStatus;

export interface RunRecord {
  id: string;
  name: string;
  datasetId: string;
  modelId: string;
  /** The resolved configuration (every default filled in, seed included). */
  config: Record<string, unknown>;
  status: RunStatus;
  progress: number;
  progressText: string | null;
  /** Compute backend that trained the model ("js" for typed-array models, "tfjs-wasm", ...). */
  backend: string | null;
  /** Final results: test metrics and fit summary, once SUCCEEDED. */
  metrics: RunMetrics | null;
  error: string | null;
  jobId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface RunFitSummary {
  seconds: number;
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  resumedFromEpoch?: number;
  /** Settings the model chose while fitting (Recommender.chosenSettings), e.g. EASE's searched λ. */
  chosen?: Record<string, number>;
  /** Per-epoch validation ranked a fixed, seeded sample of users (large datasets; lib/training/validation-sample.ts). */
  validationSample?: { users: number; of: number };
}

export interface RunMetrics {
  test: Record<string, number>;
  /** Validation metrics of the selected (best) epoch. */
  validation: Record<string, number>;
  fit: RunFitSummary;
  evaluation: { seconds: number; users: number };
  /** Time-based splits: users whose held-out rows tie in time with an earlier part (see lib/datasets/splits.ts). */
  split?: { ties: SplitTies };
}

export interface MetricPoint {
  key: string;
  step: number;
  value: number;
}

export interface NewRun {
  name: string;
  datasetId: string;
  modelId: string;
  config: Record<string, unknown>;
  teamId?: string;
  createdById?: string | null;
}

export interface TrackingStore {
  createRun(run: NewRun): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | null>;
  attachJob(runId: string, jobId: string): Promise<void>;
  markRunning(runId: string, backend: string): Promise<void>;
  setProgress(runId: string, progress: number, text: string): Promise<void>;
  /** Records metric points; a point logged twice (same key and step) keeps the latest value. */
  logBatch(runId: string, points: MetricPoint[]): Promise<void>;
  logMetric(runId: string, key: string, step: number, value: number): Promise<void>;
  /**
   * Metric history by key, ordered by step. With `maxPoints`, each series is downsampled
   * evenly (first and last points kept) so charts stay light for long runs.
   */
  getMetricHistory(runId: string, options?: { keys?: string[]; maxPoints?: number }): Promise<Record<string, { step: number; value: number }[]>>;
  /**
   * Marks the run SUCCEEDED with its final metrics; a re-run of the same job overwrites them.
   * `CANCELLED` stores the metrics of a cancelled run whose best epoch was evaluated on request.
   */
  finishRun(runId: string, metrics: RunMetrics, status?: "SUCCEEDED" | "CANCELLED"): Promise<void>;
  failRun(runId: string, status: "FAILED" | "CANCELLED", error: string | null): Promise<void>;
  /** Puts a run back to QUEUED (its job was re-queued after a worker loss); clears history. */
  resetRun(runId: string): Promise<void>;
  saveArtifact(runId: string, kind: string, data: Uint8Array): Promise<void>;
  getArtifact(runId: string, kind: string): Promise<Uint8Array | null>;
}

/** Evenly keeps at most `maxPoints` of `points`, always including the first and the last. */
export function downsample<T>(points: T[], maxPoints: number): T[] {
  if (maxPoints < 2 || points.length <= maxPoints) return points;
  const out: T[] = [];
  const stride = (points.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(points[Math.round(i * stride)]);
  return out;
}
