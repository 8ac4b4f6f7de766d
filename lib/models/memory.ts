/**
 * Peak-memory estimates of training a model, so a run too big for its worker fails before it
 * starts and the launch form can show the cost. Pure functions with no Node imports: the form
 * imports this file in the browser. Figures are the model's large typed arrays at their peak
 * (the dominant terms, rounded up a little), not the Node heap baseline.
 */
import { AUTOENCODER_WIDTHS } from "./defaults/widths";

export interface DatasetSizes {
  numUsers: number;
  numItems: number;
  numInteractions: number;
}

export type MemoryEstimator = (params: Record<string, unknown>, numUsers: number, numItems: number, numInteractions: number) => number;

const F32 = 4, F64 = 8, I32 = 4;

const num = (params: Record<string, unknown>, key: string, fallback: number): number => {
  const v = params[key];
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
};
const str = (params: Record<string, unknown>, key: string, fallback: string): string => {
  const v = params[key];
  return typeof v === "string" ? v : fallback;
};

/** A CSR copy of the interactions (indices + values + indptr) and its transpose build. */
const csrBytes = (rows: number, nnz: number) => (rows + 1) * I32 + nnz * (I32 + F32);

/**
 * EASE: primal = the items² Gram/inverse matrix (float64 up to 11,585 items, else float32) plus
 * the float32 B when the inverse was float64, plus packed panels; dual = the users² matrix,
 * Z = K X (users × items, float64) and B.
 */
export const easeMemoryBytes: MemoryEstimator = (params, numUsers, numItems, numInteractions) => {
  const n = numItems, m = numUsers;
  const solver = str(params, "solver", "auto");
  const dual = solver === "dual" || (solver === "auto" && m < n);
  const history = csrBytes(m, numInteractions);
  if (dual) return m * m * F64 + m * n * F64 + n * n * F32 + n * F64 + 2 * csrBytes(n, numInteractions) + history;
  const precision = str(params, "precision", "auto");
  const float64 = precision === "float64" || (precision === "auto" && n <= 11_585);
  const panels = 2 * n * 128 * F64;
  return n * n * (float64 ? F64 + F32 : F32) + panels + history;
};

/**
 * ItemKNN: a dense accumulator row (float64 dot products, int32 co-rater counts and touched
 * list — never items × items), the top-k lists (allocated at k per item, then trimmed) and their
 * transpose for scoring, plus the item-by-user transpose of the interactions.
 */
export const itemKnnMemoryBytes: MemoryEstimator = (params, _numUsers, numItems, numInteractions) => {
  const k = Math.min(num(params, "neighbours", 100), numItems);
  const lists = k * numItems;
  // Three copies of the interactions: the training matrix, its transpose, and on several threads
  // the matrix again in shared memory (lib/models/shared/knn-similarity.ts).
  return numItems * (F64 + 2 * I32 + F64) + lists * (I32 + F32) * 2 + lists * (I32 + I32 + F32) + 3 * csrBytes(numItems, numInteractions);
};

/** ALS: user and item factors (float32), their Gram, the transposed interactions and per-row scratch. */
export const alsMemoryBytes: MemoryEstimator = (params, numUsers, numItems, numInteractions) => {
  const f = num(params, "factors", 64);
  return (numUsers + numItems) * f * F32 + f * f * F64 * 2 + 2 * csrBytes(Math.max(numUsers, numItems), numInteractions) + 8 * f * F64;
};

/**
 * Any factor / embedding model: user and item tables of `factors` (or `embeddingDim`, `hiddenSize`,
 * `dim`; default 64) float32 values, times 4 for gradients and two optimiser moments (Adam) and a
 * fifth when a weight average is scored (`weightAverageDecay` > 0), plus the interactions twice.
 */
export const factorModelMemoryBytes: MemoryEstimator = (params, numUsers, numItems, numInteractions) => {
  const f = num(params, "factors", num(params, "embeddingDim", num(params, "hiddenSize", num(params, "dim", 64))));
  const copies = num(params, "weightAverageDecay", 0) > 0 ? 5 : 4;
  return (numUsers + numItems) * f * F32 * copies + 2 * csrBytes(numUsers, numInteractions);
};

/**
 * NeuMF: per user and item a GMF row of `factors` and an MLP row of factors · 2^(mlpLayers − 1)
 * float32 values, held four times (weights, gradient, Adam's two moments) and a fifth for the
 * scored weight average; plus an epoch's sampled pairs (user, item, label per observed pair and
 * each of its negatives) and the interactions twice.
 */
export const neumfMemoryBytes: MemoryEstimator = (params, numUsers, numItems, numInteractions) => {
  const f = num(params, "factors", 32);
  const rowWidth = f + f * 2 ** (num(params, "mlpLayers", 2) - 1);
  const copies = num(params, "weightAverageDecay", 0.9997) > 0 ? 5 : 4;
  const pairs = numInteractions * (1 + num(params, "negatives", 16));
  return (numUsers + numItems) * rowWidth * F32 * copies + pairs * (2 * I32 + F32) + 2 * csrBytes(numUsers, numInteractions);
};

/**
 * [batch × items] float32 buffers alive at a training step's peak: the dense target rows, the
 * decoder's product and its biased logits, their log-softmax (or sigmoid), the loss's product
 * with the targets, and the backward pass's gradients of those (tf.js keeps every forward
 * intermediate until the gradient is taken).
 */
const AUTOENCODER_STEP_ACTIVATIONS = 8;

/**
 * Copies of an autoencoder's weights alive at a run's peak, as measured at 17,000 items (CDAE,
 * Mult-DAE and Mult-VAE, docs/benchmarks/deep-autoencoders-neumf.md, "Memory"): in TensorFlow.js's
 * heap the weights, their gradient, Adam's two moments and the update's temporaries (6); in
 * JavaScript, at a validation that improves, the saved weights, their snapshot copy and the
 * previous best epoch's (3). A scored weight average adds one in the heap and one per snapshot.
 */
const AUTOENCODER_WEIGHT_COPIES = 9;
const WEIGHT_AVERAGE_COPIES = 4;

/**
 * A user autoencoder (CDAE, Mult-DAE, Mult-VAE), given its weights' float32 count by layer: the
 * weights AUTOENCODER_WEIGHT_COPIES times, a step's [batch × items] activations and the
 * interactions twice. At 17,000 items CDAE's default 600 units are 82 MB a copy, where the
 * generic factor-model estimate (64-wide user and item tables) said 41 MB in all.
 */
const autoencoderMemoryBytes =
  (weightCount: (params: Record<string, unknown>, numUsers: number, numItems: number) => number): MemoryEstimator =>
  (params, numUsers, numItems, numInteractions) => {
    const copies = AUTOENCODER_WEIGHT_COPIES + (num(params, "weightAverageDecay", 0) > 0 ? WEIGHT_AVERAGE_COPIES : 0);
    const activations = AUTOENCODER_STEP_ACTIVATIONS * Math.min(num(params, "batchSize", 100), numUsers) * numItems * F32;
    return weightCount(params, numUsers, numItems) * F32 * copies + activations + 2 * csrBytes(numUsers, numInteractions);
  };

// The layers as cdae.ts, mult-dae.ts and mult-vae.ts declare them: the [items × width] encoder and
// [width × items] decoder dominate; widths default to the models' own (AUTOENCODER_WIDTHS).

/** CDAE: encoder, decoder, a [users × hidden] user node and the biases. */
export const cdaeMemoryBytes = autoencoderMemoryBytes((p, U, I) => {
  const k = num(p, "hidden", AUTOENCODER_WIDTHS.cdae);
  return 2 * I * k + U * k + k + I;
});

/** Mult-DAE: encoder, decoder and the biases. */
export const multDaeMemoryBytes = autoencoderMemoryBytes((p, _U, I) => {
  const h = num(p, "hidden", AUTOENCODER_WIDTHS["mult-dae"]);
  return 2 * I * h + h + I;
});

/** Mult-VAE: I → 2k (μ, log σ²) and k → I; or with a hidden layer I → h → 2k and k → h → I. */
export const multVaeMemoryBytes = autoencoderMemoryBytes((p, _U, I) => {
  const k = num(p, "latent", AUTOENCODER_WIDTHS["mult-vae"]), h = num(p, "hidden", 0);
  return h === 0 ? 3 * I * k + 2 * k + I : 2 * I * h + 3 * h * k + 2 * h + 2 * k + I;
});

/** ConvMF: the factor model plus the text CNN's vocabulary embeddings and token matrix. */
export const convMfMemoryBytes: MemoryEstimator = (params, numUsers, numItems, numInteractions) => {
  const d = num(params, "embeddingDim", 32);
  const maxTokens = num(params, "maxTokens", 32);
  const vocabulary = Math.min(num(params, "vocabularySize", 8000), numItems * maxTokens);
  return factorModelMemoryBytes({ factors: num(params, "factors", 32) }, numUsers, numItems, numInteractions) + vocabulary * d * F32 * 4 + numItems * maxTokens * I32;
};

/**
 * Sequence models trained with full-softmax cross-entropy: the embedding model, plus per
 * optimiser step the [rows, classes] logits, their softmax and its gradient, plus one scoring
 * chunk of [chunk, items] scores. With a few thousand items or more the softmax dominates.
 */
function fullSoftmaxSequenceBytes(shape: {
  /** The model's default embedding size. */
  factors: number;
  rowsPerStep: (p: Record<string, unknown>) => number;
  classes?: (p: Record<string, unknown>, numItems: number) => number;
  scoringChunk: number;
  extra?: MemoryEstimator;
}): MemoryEstimator {
  return (params, numUsers, numItems, numInteractions) => {
    const classes = shape.classes?.(params, numItems) ?? numItems;
    return (
      factorModelMemoryBytes({ factors: num(params, "factors", shape.factors) }, numUsers, numItems, numInteractions) +
      3 * shape.rowsPerStep(params) * classes * F32 +
      shape.scoringChunk * numItems * F32 +
      (shape.extra?.(params, numUsers, numItems, numInteractions) ?? 0)
    );
  };
}

/** SASRec: a batch of windows, every position a target; plus the token windows (inputs and targets) of the whole history. */
export const sasrecMemoryBytes = fullSoftmaxSequenceBytes({
  factors: 64,
  rowsPerStep: (p) => num(p, "batchSize", 16) * num(p, "maxLen", 50),
  classes: (p, numItems) => (num(p, "negatives", 0) > 0 ? Math.min(numItems, num(p, "negatives", 0) + 1) : numItems),
  scoringChunk: 256,
  extra: (p, numUsers, _numItems, numInteractions) => 2 * (numInteractions + numUsers * num(p, "maxLen", 50)) * I32,
});

/** GRU4Rec: session-parallel lanes × truncated-BPTT steps per optimiser step. */
export const gru4recMemoryBytes = fullSoftmaxSequenceBytes({
  factors: 64,
  rowsPerStep: (p) => num(p, "batchSize", 256) * num(p, "bpttSteps", 10),
  scoringChunk: 1024,
});

/** Caser: one target per example. */
export const caserMemoryBytes = fullSoftmaxSequenceBytes({ factors: 50, rowsPerStep: (p) => num(p, "batchSize", 512), scoringChunk: 1024 });

/** Estimators by model id, for the browser (which cannot import the model files themselves). */
export const MEMORY_ESTIMATORS: Record<string, MemoryEstimator> = {
  ease: easeMemoryBytes,
  "item-knn": itemKnnMemoryBytes,
  als: alsMemoryBytes,
  convmf: convMfMemoryBytes,
  sasrec: sasrecMemoryBytes,
  gru4rec: gru4recMemoryBytes,
  caser: caserMemoryBytes,
  neumf: neumfMemoryBytes,
  cdae: cdaeMemoryBytes,
  "mult-dae": multDaeMemoryBytes,
  "mult-vae": multVaeMemoryBytes,
};

/** Scores one evaluation batch (256 users × items, float32) plus the split's three CSR copies. */
export function evaluationMemoryBytes(sizes: DatasetSizes): number {
  return 256 * sizes.numItems * F32 + 3 * csrBytes(sizes.numUsers, sizes.numInteractions) + sizes.numInteractions * 24;
}

/** The whole run: the model's estimate (its own, or the generic factor-model one) plus evaluation. */
export function estimateRunMemory(modelId: string, params: Record<string, unknown>, sizes: DatasetSizes): number {
  const estimator = MEMORY_ESTIMATORS[modelId] ?? factorModelMemoryBytes;
  return estimator(params, sizes.numUsers, sizes.numItems, sizes.numInteractions) + evaluationMemoryBytes(sizes);
}

/** "9.1 GB", "340 MB" (powers of 1024, one decimal under 10). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let v = bytes, u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 && u > 0 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
