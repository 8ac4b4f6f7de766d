import { badInput } from "../errors";
import type { ModelDefinition, ModelState, Recommender, TrainingData } from "../models/types";
import { cloneModelState } from "./model-state";
import { evaluateValidation, improves, parseMonitor, type ValidationSet } from "./validation";

export type { ValidationSet } from "./validation";

/** What the trainer reports after every epoch (closed-form models: once, as epoch 1 of 1). */
export interface EpochProgress {
  epoch: number;
  totalEpochs: number;
  loss?: number;
  /** Validation metrics of this epoch; empty on epochs that are not evaluated. */
  metrics: Record<string, number>;
  /** Wall time since training started, validation included. */
  elapsedSeconds: number;
}

export interface HistoryEntry {
  epoch: number;
  loss?: number;
  metrics: Record<string, number>;
  elapsedSeconds: number;
}

export interface TrainOptions {
  definition: ModelDefinition;
  /** Hyperparameters; parsed with the definition's paramsSchema here (defaults filled). */
  params: Record<string, unknown>;
  data: TrainingData;
  /** Without it there is no early stopping and the last epoch is kept. */
  validation?: ValidationSet;
  /** Validation metric key to select on; default "ndcg@10". "rmse"/"mae"/"mse" need a rating model. */
  monitor?: string;
  /** Cut-offs for validation ranking metrics; the monitor's cut-off is always added. Default: the monitor's. */
  ks?: number[];
  /** Evaluate every this many epochs (and always after the last one). Default 1. */
  evalEvery?: number;
  /** Stop after this many evaluations without improvement. Default 5. */
  patience?: number;
  /** Reload the best evaluated epoch's state at the end. Default true. */
  restoreBest?: boolean;
  seed: number;
  onEpoch?: (progress: EpochProgress) => Promise<void> | void;
  /** Polled at every epoch boundary; true cancels training (the result says `cancelled`). */
  shouldStop?: () => boolean | Promise<boolean>;
}

export interface TrainResult {
  model: Recommender;
  /** The epoch whose state the model holds (best on validation, else the last run). */
  bestEpoch: number;
  epochsRun: number;
  /** Stopped by the patience rule before the model's last epoch. */
  stoppedEarly: boolean;
  /** Stopped because `shouldStop` said so. */
  cancelled: boolean;
  history: HistoryEntry[];
  fitSeconds: number;
}

/**
 * Fits a model with per-epoch validation: drives the model's FitContext.onEpoch, evaluates every
 * `evalEvery` epochs, snapshots the best state (save/load), stops after `patience` evaluations
 * without improvement or on cancellation, and restores the best state. Closed-form models are
 * evaluated once after fitting.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { definition, data, validation, seed } = options;
  const evalEvery = options.evalEvery ?? 1;
  const patience = options.patience ?? 5;
  const restoreBest = options.restoreBest ?? true;
  if (!Number.isInteger(evalEvery) || evalEvery < 1) throw badInput("evalEvery must be a whole number >= 1", { field: "evalEvery" });
  if (!Number.isInteger(patience) || patience < 1) throw badInput("patience must be a whole number >= 1", { field: "patience" });

  const monitor = parseMonitor(options.monitor ?? "ndcg@10");
  const predictsRatings = data.feedback === "explicit";
  const ks = [...new Set([...(options.ks ?? []), ...(monitor.k !== undefined ? [monitor.k] : [])])];
  if (ks.length === 0) ks.push(10);

  const model = definition.create(definition.paramsSchema.parse(options.params), data.numUsers, data.numItems);
  if (validation && monitor.kind === "rating" && !(model.predict && predictsRatings)) {
    throw badInput(`monitor "${monitor.key}" needs a model that predicts explicit ratings; ${definition.displayName} does not here`, {
      field: "monitor",
    });
  }

  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const history: HistoryEntry[] = [];
  let best: number | null = null;
  let bestEpoch = 0;
  let bestState: ModelState | null = null;
  let evaluationsSinceBest = 0;
  let epochsRun = 0;
  let stoppedEarly = false;
  let cancelled = false;

  const endOfEpoch = async (epoch: number, totalEpochs: number, loss: number | undefined): Promise<boolean> => {
    epochsRun = epoch;
    let metrics: Record<string, number> = {};
    let stop = false;
    const due = epoch % evalEvery === 0 || epoch === totalEpochs;
    if (validation && due) {
      metrics = evaluateValidation(model, data.numItems, validation, ks, predictsRatings);
      const value = metrics[monitor.key];
      // An empty validation set gives NaN: it neither improves nor uses up patience.
      if (improves(monitor, value, best)) {
        best = value;
        bestEpoch = epoch;
        bestState = definition.training === "epochs" && restoreBest ? cloneModelState(model.save()) : null;
        evaluationsSinceBest = 0;
      } else if (Number.isFinite(value) && ++evaluationsSinceBest >= patience && epoch < totalEpochs) {
        stop = stoppedEarly = true;
      }
    }
    const entry: HistoryEntry = { epoch, ...(loss !== undefined ? { loss } : {}), metrics, elapsedSeconds: elapsed() };
    history.push(entry);
    await options.onEpoch?.({ ...entry, totalEpochs });
    if (!stop && options.shouldStop && (await options.shouldStop())) stop = cancelled = true;
    return stop;
  };

  if (definition.training === "closed-form") {
    await model.fit(data, { seed });
    await endOfEpoch(1, 1, undefined);
  } else {
    await model.fit(data, {
      seed,
      onEpoch: async (report) => ({ stop: await endOfEpoch(report.epoch, report.totalEpochs, report.loss) }),
    });
  }

  if (bestEpoch === 0) bestEpoch = epochsRun;
  if (restoreBest && bestState && bestEpoch !== epochsRun) model.load(bestState);
  return { model, bestEpoch, epochsRun, stoppedEarly, cancelled, history, fitSeconds: elapsed() };
}
