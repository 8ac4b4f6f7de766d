import type { DatasetStats } from "../datasets/stats";
import type { RerankCurve } from "../fairness/rerank-run";
import type { ExperimentKind, ExperimentResult, RunRole } from "../experiments/experiment-spec";
import type { RunComparison } from "../experiments/compare";
import type { TrainingPhase } from "../models/types";
import type { RunMetrics, RunStatus } from "../tracking/types";
import type { LifecycleStatus } from "../util/lifecycle";

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
  /** Marked as personal data at import (user ids pseudonymised). */
  personalData: boolean;
  createdAt: string;
  runCount: number;
}

export interface DatasetDetail extends DatasetSummary {
  ratingMin: number | null;
  ratingMax: number | null;
  stats: DatasetStats;
  preprocessing: unknown;
  /** What cleaning did at import (duplicates merged and the rule, other drops), in sentences. */
  cleaning: string[];
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
  /** Set on runs an experiment created. */
  experimentId: string | null;
  role: RunRole | null;
  /** Set on re-ranked variants: the base run and how it was re-ranked. */
  variantOf: { runId: string; rerankerId: string; lambda: number } | null;
}

export interface RunDetail extends RunSummary {
  config: Record<string, unknown>;
  /** Where the model's training changes phase (lib/models/types.ts), marked on the run's curves. */
  trainingPhases: TrainingPhase[];
  result: RunMetrics | null;
  job: { id: string; status: string; attempts: number; maxAttempts: number; progressMessage: string | null; cancelRequested: boolean } | null;
}

/** A run as its experiment lists it: validation and test metrics kept apart. */
export interface ExperimentRun {
  id: string;
  name: string;
  role: RunRole;
  trialIndex: number;
  status: RunStatus;
  progress: number;
  progressText: string | null;
  params: Record<string, unknown>;
  seed: number;
  /** Validation metrics of the selected epoch. */
  validation: Record<string, number> | null;
  /** Test metrics; null for search trials, which are evaluated on validation only. */
  test: Record<string, number> | null;
  bestEpoch: number | null;
  fitSeconds: number | null;
  error: string | null;
}

export interface ExperimentListItem {
  id: string;
  name: string;
  kind: ExperimentKind;
  datasetId: string;
  datasetName: string;
  modelId: string;
  modelName: string;
  status: RunStatus;
  selectionMetric: string;
  totalRuns: number;
  /** Runs that settled (succeeded, failed or cancelled), the final run not counted. */
  doneRuns: number;
  runningRuns: number;
  failedRuns: number;
  /** "trial 5/12 · ETA 40 s", "finalising: best configuration on test", "done". */
  progressText: string;
  etaSeconds: number | null;
  /** Best so far on the selection metric (validation for search, test otherwise). */
  best: { runId: string; name: string; value: number; split: "validation" | "test" } | null;
  /** Cross-validation: mean ± sample sd of the selection metric over the folds done (test). */
  foldMean: { value: number; sd: number | null; folds: number } | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ExperimentDetail extends ExperimentListItem {
  baseConfig: Record<string, unknown>;
  spec: Record<string, unknown>;
  /** Hyperparameters that differ across the runs. */
  varying: string[];
  runs: ExperimentRun[];
  finalRun: ExperimentRun | null;
  result: ExperimentResult | null;
}

/** GET /api/compare: runs side by side on one split, with intervals and paired tests. */
export interface ComparisonView {
  split: "test" | "validation";
  runs: {
    id: string;
    name: string;
    modelName: string;
    experimentId: string | null;
    role: RunRole | null;
    /** Dataset and split the run was evaluated on, e.g. "Synthetic demo · random 8:1:1 split with seed 42". */
    evaluatedOn: string;
    params: Record<string, unknown>;
    metrics: Record<string, number>;
  }[];
  comparison: RunComparison;
  /** Validation learning curve of the compared metric per run. */
  curves: { runId: string; points: { step: number; value: number }[] }[];
  varying: string[];
}

/** A background job the API started for a user (GET /api/jobs/:id). */
export interface JobView {
  id: string;
  /** Job type, e.g. "generate-synthetic". */
  name: string;
  status: LifecycleStatus;
  /** 0..1 */
  progress: number;
  /** What it is doing, e.g. "users 1,200 / 2,000 · ETA 12 s". */
  message: string | null;
  /** Why it failed, written for the user. */
  error: string | null;
  /** What it produced once SUCCEEDED, e.g. { datasetId }; null before. */
  result: Record<string, unknown> | null;
  attempts: number;
  maxAttempts: number;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A run's re-ranking state: whether it can be re-ranked, the re-rankers, stored curves and saved variants. */
export interface RerankView {
  /** Null when the run can be re-ranked; else why not ("re-run it to enable re-ranking"). */
  blocker: string | null;
  rerankers: { id: string; displayName: string; summary: string; x: string; available: boolean }[];
  curves: RerankCurve[];
  variants: { id: string; name: string; rerankerId: string; lambda: number }[];
  /** Sweeps of this run still queued or running, so a reloaded page can follow them. */
  active: { jobId: string; rerankerId: string }[];
  /** Direction of each axis metric, for colouring points better / worse than the base. */
  higherIsBetter: Record<string, boolean>;
}

/** A standalone run (or, with the experiment filter, an experiment's member) as the runs list shows it. */
/** What a row of the runs list shows whether it is a run or an experiment. */
interface RunsListRow extends Pick<RunSummary, "id" | "name" | "datasetId" | "datasetName" | "modelId" | "modelName" | "status" | "createdAt"> {
  /** Split kind ("random", "leave-one-out", "k-fold" for cross-validation…); null for rows older than the column. */
  splitKind: string | null;
}

export interface RunsListRun extends RunsListRow {
  type: "run";
  progress: number;
  progressText: string | null;
  /** Test metrics, or validation metrics for search trials (evaluated on validation only). */
  metrics: Record<string, number> | null;
  metricsSplit: "test" | "validation" | null;
  error: string | null;
  experimentId: string | null;
  role: RunRole | null;
  /** Base run of a re-ranked variant. */
  baseRunId: string | null;
}

/** One folded row: an experiment standing for all its trials, folds or variants. */
export interface RunsListExperiment extends RunsListRow {
  type: "experiment";
  kind: ExperimentKind;
  /** Planned runs (trials, folds or variants; the final run of a search not counted). */
  totalRuns: number;
  /** Member runs by status, e.g. { SUCCEEDED: 5, RUNNING: 1 }. */
  statusCounts: Partial<Record<RunStatus, number>>;
  /**
   * The headline number: a search's selected configuration on test (or its best trial on
   * validation while it runs), a cross-validation's mean ± sd over folds, an ablation's base.
   */
  best: { metric: string; value: number; sd: number | null; split: "test" | "validation"; label: string } | null;
}

export type RunsListItem = RunsListRun | RunsListExperiment;

/** GET /api/runs: one page; pass nextCursor back as cursor for the next. */
export interface RunsListPage {
  items: RunsListItem[];
  nextCursor: string | null;
}

/** How a ranking run compares with the strongest simple baseline on its dataset (GET /api/runs/:id/baseline). */
export interface RunBaselineView {
  /** The metric compared: the run's monitor when its test metrics have it, else NDCG@10. */
  metric: string;
  /** Set when there is nothing to compare (e.g. the run has no test metrics yet). */
  unavailable: string | null;
  baseline: {
    runId: string;
    name: string;
    modelName: string;
    value: number;
    /** Same dataset and split: a paired test is possible. */
    sameSplit: boolean;
  } | null;
  runValue: number | null;
  /** The paired test in words, or why there is none (different splits or users). */
  sentence: string | null;
  /** Whether the paired tests (t-test and Wilcoxon) both say the difference is real; false when unpaired. */
  significant: boolean;
  /** When there is no baseline run: the one to launch, on the run's split. */
  suggestion: { modelId: string; modelName: string } | null;
}
