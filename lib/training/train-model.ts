import { badInput } from "../errors";
import type { ModelDefinition, ModelState, Recommender, TrainingData } from "../models/types";
import type { Checkpoint, CheckpointHook } from "./checkpoint";
import { cloneModelState, cloneScoringState } from "./model-state";
import { batchInterrupt } from "./interrupt";
import { loadTensorflow } from "./tf-backend";
import { threadsForWork, threadsSetting } from "./threads/settings";
import { evaluateValidation, improves, parseMonitor, type ValidationSet } from "./validation";

export type { ValidationSet } from "./validation";
export type { Checkpoint, CheckpointHook } from "./checkpoint";

/** Training stopped at an epoch boundary on request (TrainOptions.suspend), its checkpoint saved. */
export class TrainingSuspendedError extends Error {
  constructor(readonly epoch: number) {
    super(`suspended after epoch ${epoch}, checkpoint saved`);
  }
}

/** What the trainer reports after every epoch (closed-form models: once, as epoch 1 of 1). */
export interface EpochProgress {
  epoch: number;
  totalEpochs: number;
  loss?: number;
  /** Validation metrics of this epoch; empty on epochs that are not evaluated. */
  metrics: Record<string, number>;
  /** Wall time since training started, validation included. */
  elapsedSeconds: number;
  /** Time this epoch spent on validation; absent when not evaluated. */
  validationSeconds?: number;
}

export interface HistoryEntry {
  epoch: number;
  loss?: number;
  metrics: Record<string, number>;
  elapsedSeconds: number;
  /** Time this epoch spent on validation (included in elapsedSeconds); absent when not evaluated. */
  validationSeconds?: number;
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
  /**
   * Synchronous and cheap (a flag): looked at between mini-batches, so a cancellation takes
   * effect within one batch; the unfinished epoch is dropped and the best epoch's state kept.
   */
  isCancelled?: () => boolean;
  /**
   * Resumable training (epoch models): the latest checkpoint is loaded before fitting and the
   * model continues at the epoch after it; a new one is saved every `checkpointEvery` epochs.
   */
  checkpoint?: CheckpointHook;
  /** Save a checkpoint every this many epochs. Default 5. */
  checkpointEvery?: number;
  /**
   * Threads the fit uses (FitContext.threads), taken as given. Default: threadsSetting()
   * (RECLAB_THREADS, else the cores shared among RECLAB_WORKERS_PER_MACHINE) when the model's
   * parallelFit work reaches its threshold, else 1. A resumed fit uses its checkpoint's count,
   * so it continues exactly as the interrupted run would have.
   */
  threads?: number;
  /**
   * Polled at every epoch boundary of a checkpointed epoch model: true saves a checkpoint of that
   * epoch and throws TrainingSuspendedError, so the run can resume elsewhere (worker shutdown).
   */
  suspend?: () => boolean;
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
  /** The epoch training resumed after (from a checkpoint); 0 for a fresh start. */
  resumedFromEpoch: number;
  history: HistoryEntry[];
  fitSeconds: number;
  /** Threads the epoch fit ran on (results depend on the seed and this count); absent for closed-form models. */
  threads?: number;
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
  const checkpointEvery = options.checkpointEvery ?? 5;
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
    throw badInput("checkpointEvery must be a whole number >= 1", { field: "checkpointEvery" });
  }

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

  // tfjs models need TensorFlow.js loaded before load() (a checkpoint) or score() run.
  if (definition.engine === "tfjs") await loadTensorflow();
  const epochModel = definition.training === "epochs";
  const resumeFrom: Checkpoint | null = epochModel && options.checkpoint ? await options.checkpoint.load() : null;

  const started = performance.now();
  const elapsedBefore = resumeFrom?.trainer.elapsedSeconds ?? 0;
  const elapsed = () => elapsedBefore + (performance.now() - started) / 1000;
  const history: HistoryEntry[] = resumeFrom ? resumeFrom.trainer.history.map((h) => ({ ...h, metrics: { ...h.metrics } })) : [];
  let best: number | null = resumeFrom?.trainer.best ?? null;
  let bestEpoch = resumeFrom?.trainer.bestEpoch ?? 0;
  let bestState: ModelState | null = resumeFrom?.trainer.bestState ?? null;
  let evaluationsSinceBest = resumeFrom?.trainer.evaluationsSinceBest ?? 0;
  let epochsRun = resumeFrom?.epoch ?? 0;
  let stoppedEarly = resumeFrom?.trainer.finished ?? false;
  let cancelled = false;
  const threads = epochModel ? (resumeFrom?.trainer.threads ?? options.threads ?? defaultThreads(definition, data, options.params)) : undefined;
  if (resumeFrom) {
    model.load(resumeFrom.model);
    // A checkpoint taken at the best epoch leaves the snapshot out: the model state is it.
    if (restoreBest && !bestState && bestEpoch === resumeFrom.epoch) bestState = cloneScoringState(resumeFrom.model);
  }

  const saveCheckpoint = async (epoch: number, finished: boolean) => {
    if (!options.checkpoint) return;
    await options.checkpoint.save({
      epoch,
      model: cloneModelState(model.save()),
      trainer: {
        best,
        bestEpoch,
        evaluationsSinceBest,
        bestState: bestEpoch === epoch ? null : bestState,
        history,
        elapsedSeconds: elapsed(),
        finished,
        ...(threads !== undefined ? { threads } : {}),
      },
    });
  };

  const endOfEpoch = async (epoch: number, totalEpochs: number, loss: number | undefined): Promise<boolean> => {
    epochsRun = epoch;
    let metrics: Record<string, number> = {};
    let validationSeconds: number | undefined;
    let stop = false;
    const due = epoch % evalEvery === 0 || epoch === totalEpochs;
    if (validation && due) {
      const evalStarted = performance.now();
      metrics = evaluateValidation(model, data.numItems, validation, ks, predictsRatings);
      validationSeconds = (performance.now() - evalStarted) / 1000;
      const value = metrics[monitor.key];
      // An empty validation set gives NaN: it neither improves nor uses up patience.
      if (improves(monitor, value, best)) {
        best = value;
        bestEpoch = epoch;
        bestState = epochModel && restoreBest ? cloneScoringState(model.save({ scoring: true })) : null;
        evaluationsSinceBest = 0;
      } else if (Number.isFinite(value) && ++evaluationsSinceBest >= patience && epoch < totalEpochs) {
        stop = stoppedEarly = true;
      }
    }
    const entry: HistoryEntry = {
      epoch,
      ...(loss !== undefined ? { loss } : {}),
      metrics,
      elapsedSeconds: elapsed(),
      ...(validationSeconds !== undefined ? { validationSeconds } : {}),
    };
    history.push(entry);
    await options.onEpoch?.({ ...entry, totalEpochs });
    // After onEpoch, so whatever the caller logged up to this epoch is covered by the checkpoint.
    const checkpointed = epochModel && epoch % checkpointEvery === 0 && epoch < totalEpochs;
    if (checkpointed) await saveCheckpoint(epoch, stop);
    if (epochModel && options.checkpoint && epoch < totalEpochs && options.suspend?.()) {
      if (!checkpointed) await saveCheckpoint(epoch, stop);
      throw new TrainingSuspendedError(epoch);
    }
    if (!stop && options.shouldStop && (await options.shouldStop())) stop = cancelled = true;
    return stop;
  };

  if (definition.training === "closed-form") {
    // Closed-form fits that work in blocks (ItemKNN) look at cancellation between them; one
    // stopped part-way has no model to evaluate, so the run ends cancelled with no epoch.
    await model.fit(data, { seed, ...(options.isCancelled ? { interrupted: batchInterrupt(options.isCancelled) } : {}) });
    if (options.isCancelled?.()) cancelled = true;
    else await endOfEpoch(1, 1, undefined);
  } else if (!resumeFrom?.trainer.finished) {
    await model.fit(data, {
      seed,
      threads,
      ...(options.isCancelled ? { interrupted: batchInterrupt(options.isCancelled) } : {}),
      ...(resumeFrom ? { startEpoch: resumeFrom.epoch + 1 } : {}),
      onEpoch: async (report) => ({ stop: await endOfEpoch(report.epoch, report.totalEpochs, report.loss) }),
    });
  }

  // Stopped between batches: the weights are part-way through an epoch, so the best state is reloaded even when it is the last finished epoch's.
  if (!cancelled && epochModel && options.isCancelled?.()) cancelled = true;
  if (bestEpoch === 0) bestEpoch = epochsRun;
  if (restoreBest && bestState && (bestEpoch !== epochsRun || cancelled)) model.load(bestState);
  return { model, bestEpoch, epochsRun, stoppedEarly, cancelled, resumedFromEpoch: resumeFrom?.epoch ?? 0, history, fitSeconds: elapsed(), ...(threads !== undefined ? { threads } : {}) };
}

/** RECLAB_THREADS (or the fair share of cores) for a fit large enough to gain from them, else 1. */
function defaultThreads(definition: ModelDefinition, data: TrainingData, params: Record<string, unknown>): number {
  if (!definition.parallelFit) return 1;
  const size = { numUsers: data.numUsers, numItems: data.numItems, numInteractions: data.train.indices.length };
  return threadsForWork(threadsSetting(), definition.parallelFit(definition.paramsSchema.parse(params), size));
}
