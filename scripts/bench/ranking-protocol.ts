import type { Dataset } from "../../lib/datasets/types";
import { resolveRunConfig, runExperiment } from "../../lib/experiments/run-experiment";
import { applyAutoDefaults } from "../../lib/experiments/auto-params";
import { getModelDefinition } from "../../lib/models/registry";
import { loadTensorflow, runBackendLabel } from "../../lib/training/tf-backend";
import type { EpochProgress } from "../../lib/training/train-model";
import { groupGaps, type GroupGapReport } from "./beyond";
import { processPeakRssMb, RssSampler } from "./memory";

export interface RankingBenchResult {
  model: string;
  displayName: string;
  feedback: string;
  fitSeconds: number;
  /** Wall time from the start of training to the end of the selected (best) epoch. */
  secondsToBestEpoch: number;
  bestEpoch: number;
  epochsRun: number;
  evalSeconds: number;
  numUsers: number;
  metrics: Record<string, number>;
  peakRssMb: number;
  processPeakRssMb: number;
  config: unknown;
  /** The model's resolved hyperparameters (defaults filled in). */
  params: Record<string, unknown>;
  /** Compute backend: "js" or the TensorFlow.js backend ("tfjs-wasm", ...). */
  backend: string;
  /** Mean wall time of one training epoch, validation excluded. */
  trainSecondsPerEpoch: number;
  /** Mean wall time of one validation pass (full ranking of the validation users). */
  validationSeconds: number;
  /** Validation passes during the fit. */
  validationPasses: number;
  /** NDCG@K per user group (gender, age band, ...) with a permutation test; empty without user attributes. */
  groups: GroupGapReport[];
}

/**
 * The RecLab ranking protocol (same as refs/ref_ranking.py): per-user random 8:1:1 split,
 * every interaction a positive, full ranking on test with train + validation masked. Models
 * that learn from explicit ratings train on the ratings of the same split (and report RMSE),
 * selecting their epoch on validation RMSE.
 */
export interface RankingBenchOptions {
  k: number;
  /** Seed of the split and of the model. */
  seed: number;
  /** Hyperparameter overrides. */
  params?: Record<string, unknown>;
  /** The split's shuffle ("numpy" reproduces refs/ref_ranking.py's rows). */
  shuffle?: "reclab" | "numpy";
  /** Log every epoch's loss and validation metric. */
  verbose?: boolean;
  /** The models' static schema defaults instead of the dataset-adaptive "auto" ones a launch applies. */
  staticDefaults?: boolean;
}

/** The protocol's split: per user, a random 8:1:1 train / validation / test cut. */
export function rankingSplit(seed: number, shuffle: "reclab" | "numpy" = "reclab") {
  return { kind: "random" as const, ratios: [0.8, 0.1, 0.1] as [number, number, number], seed, shuffle };
}

export async function benchRanking(dataset: Dataset, modelId: string, options: RankingBenchOptions): Promise<RankingBenchResult> {
  const { k, seed, params = {}, shuffle = "reclab", verbose = false, staticDefaults = false } = options;
  const definition = getModelDefinition(modelId);
  const explicit = definition.feedback === "explicit";
  const monitor = explicit ? "rmse" : `ndcg@${k}`;
  const input = { modelId, params, split: rankingSplit(seed, shuffle), feedback: explicit ? "explicit" : "implicit", ks: [k], monitor, seed };
  // As a launch does: settings not given adapt to the dataset's shape (lib/experiments/auto-params.ts).
  const shape = { users: dataset.numUsers, items: dataset.numItems, interactions: dataset.table.users.length };
  const config = resolveRunConfig(staticDefaults ? input : applyAutoDefaults(input, shape));
  const backend = definition.engine === "tfjs" ? runBackendLabel((await loadTensorflow()).backend) : "js";
  const rss = new RssSampler();
  const started = performance.now();
  const onEpoch = (e: EpochProgress) => {
    rss.sample();
    if (!verbose) return;
    console.log(`    ${modelId} epoch ${e.epoch}: loss ${e.loss?.toFixed(4) ?? "-"}, val ${monitor} ${e.metrics[monitor]?.toFixed(4) ?? "-"}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  };
  const result = await runExperiment(dataset, config, { onEpoch, onPhase: () => rss.sample() });
  rss.sample();
  const best = result.history.find((h) => h.epoch === result.fit.bestEpoch);
  const validationTimes = result.history.map((h) => h.validationSeconds ?? 0);
  const validationTotal = validationTimes.reduce((a, b) => a + b, 0);
  const evaluated = result.history.filter((h) => h.validationSeconds !== undefined).length;
  return {
    model: modelId,
    displayName: definition.displayName,
    feedback: explicit ? "explicit" : "implicit",
    fitSeconds: result.fit.seconds,
    secondsToBestEpoch: best?.elapsedSeconds ?? result.fit.seconds,
    bestEpoch: result.fit.bestEpoch,
    epochsRun: result.fit.epochsRun,
    evalSeconds: result.test.seconds,
    numUsers: result.test.numUsers,
    metrics: result.test.summary,
    peakRssMb: rss.peakMb,
    processPeakRssMb: processPeakRssMb(),
    config: result.config,
    params: result.config.params,
    backend,
    trainSecondsPerEpoch: (result.fit.seconds - validationTotal) / Math.max(1, result.fit.epochsRun),
    validationSeconds: evaluated > 0 ? validationTotal / evaluated : 0,
    validationPasses: evaluated,
    groups: groupGaps(dataset, result.test.perUser, `ndcg@${k}`, seed),
  };
}
