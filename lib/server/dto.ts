import type { DatasetStats } from "../datasets/stats";
import type { RunMetrics, RunStatus } from "../tracking/types";

/** JSON-safe shapes the API returns and pages render (dates as ISO strings). */

export interface DatasetSummary {
  id: string;
  name: string;
  source: string;
  feedback: string;
  numUsers: number;
  numItems: number;
  numInteractions: number;
  sparsity: number;
  hasTimestamps: boolean;
  createdAt: string;
  runCount: number;
}

export interface DatasetDetail extends DatasetSummary {
  ratingMin: number | null;
  ratingMax: number | null;
  stats: DatasetStats;
  preprocessing: unknown;
}

export interface RunSummary {
  id: string;
  name: string;
  datasetId: string;
  datasetName: string;
  modelId: string;
  modelName: string;
  status: RunStatus;
  progress: number;
  progressText: string | null;
  backend: string | null;
  /** Test metrics once finished. */
  metrics: Record<string, number> | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunDetail extends RunSummary {
  config: Record<string, unknown>;
  result: RunMetrics | null;
  job: { id: string; status: string; attempts: number; maxAttempts: number; progressMessage: string | null } | null;
}
