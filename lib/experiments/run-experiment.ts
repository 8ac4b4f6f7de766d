import { splitDataset } from "../datasets/splits";
import type { Dataset, Feedback } from "../datasets/types";
import { evaluateRanking, evaluateRating } from "../metrics/evaluate";
import { getModelDefinition } from "../models/registry";
import type { ModelDefinition, Recommender } from "../models/types";
import { trainModel, type EpochProgress, type HistoryEntry } from "../training/train-model";
import { prepareSplit } from "./prepare-data";
import { resolveRunConfig, type RunConfig } from "./run-config";

export { runConfigSchema, resolveRunConfig, type RunConfig, type RunConfigInput } from "./run-config";

export type RunPhase = "split" | "fit" | "evaluate";

export interface RunHooks {
  /** After every training epoch, with that epoch's validation metrics (empty when not evaluated). */
  onEpoch?: (progress: EpochProgress) => Promise<void> | void;
  /** Polled at epoch boundaries; true cancels the run (see RunResult.cancelled). */
  shouldStop?: () => boolean | Promise<boolean>;
  onPhase?: (phase: RunPhase) => Promise<void> | void;
}

export interface RunResult {
  /** The resolved config: every default filled in, so the run can be repeated from it. */
  config: RunConfig;
  fit: { seconds: number; bestEpoch: number; epochsRun: number; stoppedEarly: boolean };
  history: HistoryEntry[];
  /**
   * Ranking metrics on test with train + validation items masked, plus mae/mse/rmse for models
   * that predict explicit ratings. Empty (numUsers 0) when the run was cancelled.
   */
  test: {
    summary: Record<string, number>;
    perUser: { users: Int32Array; values: Record<string, Float32Array> };
    numUsers: number;
    seconds: number;
  };
  /** True when `shouldStop` ended training; the test set is then not evaluated. */
  cancelled: boolean;
  model: Recommender;
}

/**
 * One run: split the dataset, fit the model with validation-based early stopping, evaluate the
 * selected state once on test. Seeded throughout: the same dataset and config give the same
 * metrics. The runner reads the model's declared needs and never branches on its id.
 */
export async function runExperiment(dataset: Dataset, input: RunConfig, hooks: RunHooks = {}): Promise<RunResult> {
  const config = resolveRunConfig(input);
  const definition = getModelDefinition(config.modelId);
  const feedback = resolveFeedback(config.feedback, definition, dataset);

  await hooks.onPhase?.("split");
  const split = splitDataset(dataset.table, dataset.numUsers, config.split);
  const data = prepareSplit(dataset, split, feedback);

  await hooks.onPhase?.("fit");
  const trained = await trainModel({
    definition,
    params: config.params,
    data: data.train,
    validation: { truth: data.validation, exclude: [data.train.train] },
    monitor: config.monitor,
    ks: config.ks,
    evalEvery: config.evalEvery,
    patience: config.patience,
    seed: config.seed,
    onEpoch: hooks.onEpoch,
    shouldStop: hooks.shouldStop,
  });
  const fit = { seconds: trained.fitSeconds, bestEpoch: trained.bestEpoch, epochsRun: trained.epochsRun, stoppedEarly: trained.stoppedEarly };
  const model = trained.model;
  if (trained.cancelled) {
    const test = { summary: {}, perUser: { users: new Int32Array(0), values: {} }, numUsers: 0, seconds: 0 };
    return { config, fit, history: trained.history, test, cancelled: true, model };
  }

  await hooks.onPhase?.("evaluate");
  const ranking = evaluateRanking((users, out) => model.score(users, out), {
    numItems: dataset.numItems,
    truth: data.test,
    exclude: [data.train.train, data.validation],
    ks: config.ks,
  });
  const summary: Record<string, number> = { ...ranking.summary };
  let seconds = ranking.seconds;
  if (feedback === "explicit" && model.predict) {
    const started = performance.now();
    const rating = evaluateRating((users, items) => model.predict!(users, items), data.testRows);
    Object.assign(summary, rating.summary);
    seconds += (performance.now() - started) / 1000;
  }
  const test = { summary, perUser: ranking.perUser, numUsers: ranking.numUsers, seconds };
  return { config, fit, history: trained.history, test, cancelled: false, model };
}

/** "auto" means the model's own feedback; a model that takes both learns from the dataset's. */
export function resolveFeedback(choice: RunConfig["feedback"], definition: ModelDefinition, dataset: Dataset): Feedback {
  if (choice !== "auto") return choice;
  return definition.feedback === "both" ? dataset.feedback : definition.feedback;
}
