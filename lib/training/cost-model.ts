import { AUTOENCODER_WIDTHS } from "../models/defaults/widths";

/**
 * A deliberately simple time model for one training epoch, used before launch (the run form)
 * and refined by what earlier runs of the same model on the same dataset measured.
 *
 *   seconds per epoch = work × seconds-per-operation of the engine
 *                     + optimizer steps × per-step overhead (TensorFlow.js only)
 *                     + one validation pass (every user scored against every item)
 *
 * `work` counts multiply-adds of one epoch per model family, from the dataset's sizes (users U,
 * items I, interactions N) and the hyperparameters that drive the cost:
 *
 *   Popularity         N                                    (closed form, one "epoch")
 *   ItemKNN            N × N / U                            (co-occurrences, closed form)
 *   EASE               I³ × 5                               (Gram matrix inverse, λ search)
 *   biased MF, BPR     N × factors × 4                      (one SGD update per interaction)
 *   WMF-ALS            N × f × cgSteps × 2 + (U + I) × f²   (conjugate-gradient solves)
 *   NeuMF              N × (1 + negatives) × f × 48         (GMF + MLP towers, forward + backward)
 *   CDAE, Mult-DAE/VAE (U × I × 3 + N × 2) × hidden         (dense decoder fwd + bwd, sparse encoder)
 *   GRU4Rec            N × (3 hidden × (hidden + f) + (1 + negatives) × hidden) × 3
 *   Caser              N × (filters × window × f × 2 + f × I / 8) × 3
 *   SASRec             N × blocks × (6 f² + 2 maxLen × f) × 3 + N × f × 2 × 3
 *   ConvMF             ALS work + I × maxTokens × filters × embeddingDim × 3
 *
 * Engine rates were set from ml-100k runs on a 2-core machine (typed-array JavaScript ≈ 0.5 G
 * multiply-adds/s; TensorFlow.js on WebAssembly with RecLab's native kernels ≈ 2 G/s effective
 * with ~2 ms per optimizer step: measured per counted op, 0.07 ns for the autoencoders to 1.1 ns
 * for Caser on 2026-12-01, when the earlier 0.2 G/s overestimated CDAE's epoch 40×; several times
 * slower without the addon). They are rough: the first estimate is an order of magnitude, and
 * `calibrate` scales it by how fast earlier runs of the same model on the same dataset actually were.
 */

export interface DatasetSize {
  numUsers: number;
  numItems: number;
  numInteractions: number;
}

export interface EpochCost {
  /** Estimated seconds of one epoch, validation included. */
  secondsPerEpoch: number;
  /** Epochs the configuration allows (1 for closed-form models). */
  maxEpochs: number;
  closedForm: boolean;
}

const JS_SECONDS_PER_OP = 2e-9;
const TFJS_SECONDS_PER_OP = 5e-10;
const TFJS_SECONDS_PER_STEP = 0.002;
/** The share of interactions in training under the default 8:1:1 split. */
const TRAIN_SHARE = 0.8;

const CLOSED_FORM = new Set(["pop", "item-knn", "ease"]);
const TFJS = new Set(["neumf", "cdae", "mult-dae", "mult-vae", "gru4rec", "caser", "sasrec", "convmf"]);

const num = (params: Record<string, unknown>, key: string, fallback: number): number => {
  const v = Number(params[key]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Multiply-adds and optimizer steps of one training epoch (see the table above). */
export function epochWork(modelId: string, params: Record<string, unknown>, size: DatasetSize): { ops: number; steps: number } {
  const U = size.numUsers, I = size.numItems, N = size.numInteractions * TRAIN_SHARE;
  const f = num(params, "factors", 64);
  const batch = num(params, "batchSize", 256);
  switch (modelId) {
    case "pop":
      return { ops: N, steps: 0 };
    case "item-knn":
      return { ops: (N * N) / Math.max(1, U), steps: 0 };
    case "ease":
      return { ops: I ** 3 * 5, steps: 0 };
    case "mf":
    case "bpr":
      return { ops: N * f * 4, steps: 0 };
    case "als":
      return { ops: N * f * num(params, "cgSteps", 3) * 2 + (U + I) * f * f, steps: 0 };
    case "neumf":
      return { ops: N * (1 + num(params, "negatives", 16)) * f * 48, steps: (N * (1 + num(params, "negatives", 16))) / batch };
    case "cdae":
    case "mult-dae":
    case "mult-vae":
      // The width read: a hidden layer where there is one, else Mult-VAE's latent; each model's default where params omit it.
      return { ops: (U * I * 3 + N * 2) * num(params, "hidden", num(params, "latent", AUTOENCODER_WIDTHS[modelId])), steps: U / batch };
    case "gru4rec": {
      const h = num(params, "hidden", 100);
      return { ops: N * (3 * h * (h + f) + (1 + num(params, "negatives", 128)) * h) * 3, steps: N / batch };
    }
    case "caser":
      return { ops: N * (num(params, "horizontalFilters", 16) * num(params, "window", 5) * f * 2 + (f * I) / 8) * 3, steps: N / batch };
    case "sasrec": {
      const len = num(params, "maxLen", 50);
      return { ops: N * num(params, "blocks", 2) * (6 * f * f + 2 * len * f) * 3 + N * f * 6, steps: N / (batch * len) };
    }
    case "convmf":
      return {
        ops: N * f * num(params, "cgSteps", 3) * 2 + (U + I) * f * f + I * num(params, "maxTokens", 300) * num(params, "filters", 50) * num(params, "embeddingDim", 50) * 3,
        steps: I / batch,
      };
    default:
      return { ops: N * f * 4, steps: 0 };
  }
}

/** The cost-model estimate of one epoch (validation pass included) and how many epochs may run. */
export function estimateEpochCost(modelId: string, params: Record<string, unknown>, size: DatasetSize): EpochCost {
  const { ops, steps } = epochWork(modelId, params, size);
  const tfjs = TFJS.has(modelId);
  const closedForm = CLOSED_FORM.has(modelId);
  const validation = size.numUsers * size.numItems * (closedForm ? 16 : Math.min(num(params, "factors", 64), 256) + 16) * JS_SECONDS_PER_OP;
  const seconds = ops * (tfjs ? TFJS_SECONDS_PER_OP : JS_SECONDS_PER_OP) + steps * (tfjs ? TFJS_SECONDS_PER_STEP : 0) + validation;
  return { secondsPerEpoch: seconds, maxEpochs: closedForm ? 1 : Math.max(1, Math.round(num(params, "epochs", 1))), closedForm };
}

/** One earlier run of the same model on the same dataset: what it measured and what it was estimated at. */
export interface PastTiming {
  secondsPerEpoch: number;
  estimatedSecondsPerEpoch: number;
}

/**
 * Scales the cost model by the median ratio measured / estimated of earlier runs (params may
 * differ between runs: the ratio calibrates the machine, the model carries the parameters).
 * Returns the factor and how many runs it rests on; 1 with none.
 */
export function calibration(past: PastTiming[]): { factor: number; runs: number } {
  const ratios = past
    .filter((p) => p.secondsPerEpoch > 0 && p.estimatedSecondsPerEpoch > 0)
    .map((p) => p.secondsPerEpoch / p.estimatedSecondsPerEpoch)
    .sort((a, b) => a - b);
  if (ratios.length === 0) return { factor: 1, runs: 0 };
  const mid = ratios.length >> 1;
  const factor = ratios.length % 2 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
  return { factor, runs: ratios.length };
}

/**
 * Before launch: time per epoch and in total. With early stopping the run may stop well before
 * `maxEpochs`, so the total is an upper bound ("at most"), and the earliest stop is after
 * `patience` evaluations past the first epoch.
 */
export function estimateRunTime(
  modelId: string,
  params: Record<string, unknown>,
  size: DatasetSize,
  options: { patience?: number; evalEvery?: number; past?: PastTiming[] } = {},
): { secondsPerEpoch: number; atMostSeconds: number; earliestStopSeconds: number; maxEpochs: number; calibratedOn: number; closedForm: boolean } {
  const cost = estimateEpochCost(modelId, params, size);
  const { factor, runs } = calibration(options.past ?? []);
  const perEpoch = cost.secondsPerEpoch * factor;
  const earliestEpochs = Math.min(cost.maxEpochs, 1 + (options.patience ?? 5) * (options.evalEvery ?? 1));
  return {
    secondsPerEpoch: perEpoch,
    atMostSeconds: perEpoch * cost.maxEpochs,
    earliestStopSeconds: perEpoch * earliestEpochs,
    maxEpochs: cost.maxEpochs,
    calibratedOn: runs,
    closedForm: cost.closedForm,
  };
}
