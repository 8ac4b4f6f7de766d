/**
 * Dense floating-point work of the deep models (2 FLOPs per multiply-add of their matMuls and
 * convolutions): per training epoch and per full evaluation (every user scored against every
 * item, as a validation pass does), from the model's shapes and the dataset's size. The bench
 * divides this by the backend's measured dense-matMul rate (./matmul-rate.ts) to get an ideal
 * time and reports ideal ÷ measured as the model's efficiency; the launch form's time estimate
 * (./cost-model.ts) uses the same counts.
 *
 * Element-wise work (activations, losses, gathers, optimizer updates) is not counted: it is
 * what the efficiency figure exposes as overhead. A layer's training costs 3× its forward matMul
 * (forward, dX, dW), 2× when its input is data (no dX).
 */

import type { DatasetSize } from "./cost-model";
import { AUTOENCODER_WIDTHS } from "../models/defaults/widths";
import { COMPACT_BELOW_SHARE } from "../models/deep/neumf-rows";

export interface DeepFlops {
  trainPerEpoch: number;
  /** One full evaluation: every user against every item. */
  evaluation: number;
  /** Whether the counts are exact for the implementation or an approximation of its main terms. */
  exact: boolean;
}

/** The share of interactions in training under the default 8:1:1 split. */
export const TRAIN_SHARE = 0.8;

const num = (params: Record<string, unknown>, key: string, fallback: number): number => {
  const v = Number(params[key]);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
};

/**
 * A dataset's size, and optionally how many interactions the split trains on (leave-one-out
 * keeps all but two per user); without it the default split's share is assumed.
 */
export interface FlopsSize extends DatasetSize {
  trainInteractions?: number;
}

type FlopsOf = (params: Record<string, unknown>, size: FlopsSize) => DeepFlops;

/** Expected distinct values among `draws` uniform draws from `size`: an upper bound for skewed draws. */
const expectedDistinct = (size: number, draws: number) => size * -Math.expm1(draws * Math.log1p(-1 / Math.max(1, size)));

/**
 * NeuMF as lib/models/deep/neumf-fast.ts computes it: in training, the first MLP layer once per
 * step on each embedding table ([U + I, e]·[e, w0], forward, dW0 and dEmbedding) — on a large
 * table only the step's distinct rows —, every further layer per pair, the GMF and output dot
 * products per pair; scoring projects the whole tables once. Distinct rows are counted as for
 * uniform draws, an upper bound (popular items and heavy users repeat within a batch), hence
 * "approximate" where a table is compacted. With batch norm, training takes the tf-ops path
 * instead, whose first layer runs per pair ([n, 2e]·[2e, w0]).
 */
export const neumfFlops: FlopsOf = (params, size) => {
  const U = size.numUsers, I = size.numItems;
  // Fallbacks: neumfParamsSchema's defaults (a test keeps them equal).
  const f = num(params, "factors", 32), layers = Math.max(1, num(params, "mlpLayers", 2));
  const widths = Array.from({ length: layers }, (_, l) => f * 2 ** (layers - 1 - l));
  const e = widths[0] / 2;
  const pairs = size.numInteractions * TRAIN_SHARE * (1 + num(params, "negatives", 16));
  const steps = Math.ceil(pairs / Math.max(1, num(params, "batchSize", 1024)));
  let perPair = 2 * f * 2; // GMF dot product and the MLP's output layer
  for (let l = 1; l < layers; l++) perPair += 2 * widths[l - 1] * widths[l];
  const projectRows = (rows: number) => 2 * rows * e * widths[0];
  const batch = pairs / steps;
  // A table's distinct rows, or all of them where those are not a small share (neumf-rows.ts).
  const rowsProjected = (size: number) => {
    const distinct = expectedDistinct(size, batch);
    return distinct < COMPACT_BELOW_SHARE * size ? distinct : size;
  };
  const stepProjection = projectRows(rowsProjected(U) + rowsProjected(I));
  // The explicit path (dropout included) projects embedding rows; batch norm goes through tf ops.
  const fastPath = params.batchNorm !== true;
  const trainPerEpoch = fastPath ? 3 * (pairs * perPair + steps * stepProjection) : 3 * pairs * (perPair + 2 * 2 * e * widths[0]);
  const compacted = rowsProjected(U) < U || rowsProjected(I) < I;
  return { trainPerEpoch, evaluation: U * I * perPair + projectRows(U + I), exact: !fastPath || !compacted };
};

/**
 * The autoencoders' first layer, sparse (lib/models/deep/sparse-input.ts): a row of `width` per
 * training interaction, forward and dW (its input is data: no dX). Entries dropout zeroes are
 * skipped, a saving not counted. Training per epoch and one scoring pass (the same rows).
 */
const sparseEncoder = (size: FlopsSize, width: number) => {
  const nonZeros = size.trainInteractions ?? size.numInteractions * TRAIN_SHARE;
  return { train: 2 * 2 * nonZeros * width, evaluation: 2 * nonZeros * width };
};

/** Mult-DAE and CDAE: I → hidden → I per user, the first layer sparse (`defaultHidden` where params omit it). */
const autoencoderFlops = (defaultHidden: number): FlopsOf => (params, size) => {
  const U = size.numUsers, I = size.numItems, h = num(params, "hidden", defaultHidden);
  const encoder = sparseEncoder(size, h);
  return { trainPerEpoch: encoder.train + U * 3 * 2 * h * I, evaluation: encoder.evaluation + U * 2 * h * I, exact: true };
};

/** Mult-VAE: I → 2·latent (μ, log σ²) → I, or with a hidden layer I → h → 2k, k → h → I; the first layer sparse. */
export const multVaeFlops: FlopsOf = (params, size) => {
  const U = size.numUsers, I = size.numItems, k = num(params, "latent", AUTOENCODER_WIDTHS["mult-vae"]), h = num(params, "hidden", 0);
  const encoder = sparseEncoder(size, h === 0 ? 2 * k : h);
  // The dense layers after the first, forward, per user.
  const forward = h === 0 ? 2 * k * I : 2 * (h * 2 * k + k * h + h * I);
  return { trainPerEpoch: encoder.train + U * 3 * forward, evaluation: encoder.evaluation + U * forward, exact: true };
};

/**
 * Next-item targets a sequential model trains on per epoch: the training interactions (given,
 * or the default split's share) less one per user (a history's first item predicts nothing).
 */
const sequenceTargets = (size: FlopsSize) => Math.max(0, (size.trainInteractions ?? size.numInteractions * TRAIN_SHARE) - size.numUsers);

/** Output-layer FLOPs per target of a forward pass: full softmax over every item, or the target and `negatives` shared samples. */
const outputPerTarget = (width: number, numItems: number, negatives: number) => 2 * width * (negatives > 0 && negatives < numItems ? 1 + negatives : numItems);

/**
 * SASRec as lib/models/sasrec.ts computes it: per position and block the q, k, v and two FFN
 * projections (5 d²) and the attention's two [L, L]·[L, d]-sized products (2 L·d), all ×3 in
 * training; the output logits against every item (full softmax, the default) per target. Counted
 * on the targets only: the padded positions of short windows are work the figure shows as overhead.
 * "latest" and "sampled" windows train on at most maxLen targets per user per epoch.
 */
export const sasrecFlops: FlopsOf = (params, size) => {
  const d = num(params, "factors", 64), L = num(params, "maxLen", 50), blocks = num(params, "blocks", 2);
  const perPosition = blocks * 2 * (5 * d * d + 2 * L * d);
  const all = sequenceTargets(size);
  const targets = params.trainWindows === "latest" || params.trainWindows === "sampled" ? Math.min(all, size.numUsers * L) : all;
  const output = outputPerTarget(d, size.numItems, num(params, "negatives", 0));
  return { trainPerEpoch: 3 * targets * (perPosition + output), evaluation: size.numUsers * (L * perPosition + 2 * d * size.numItems), exact: false };
};

/**
 * GRU4Rec: per position the input and hidden matMuls of the 3 gates (2·3h·(f + h)), the output
 * against every item with its bias column (cross-entropy, the default) or the batch's targets and
 * `negatives` samples (bpr-max), all ×3 in training.
 */
export const gru4recFlops: FlopsOf = (params, size) => {
  const h = num(params, "hidden", 100), f = num(params, "factors", 64), L = num(params, "maxLen", 50);
  const perPosition = 2 * 3 * h * (h + f);
  const bprMax = params.loss === "bpr-max";
  const output = bprMax ? 2 * (h + 1) * (num(params, "batchSize", 256) + num(params, "negatives", 128)) : 2 * (h + 1) * size.numItems;
  return { trainPerEpoch: 3 * sequenceTargets(size) * (perPosition + output), evaluation: size.numUsers * (L * perPosition + 2 * (h + 1) * size.numItems), exact: false };
};

/**
 * Caser: the horizontal filters of every height h over the L − h + 1 offsets of the L × d window
 * (Σ_h (L − h + 1)·h = L(L + 1)(L + 2)/6 filter positions of d columns), the vertical filters,
 * the fully connected layer to d, and the logits of [hidden, user, 1] (2d + 1) against every item
 * (full softmax), all ×3 in training; one example per target.
 */
export const caserFlops: FlopsOf = (params, size) => {
  const d = num(params, "factors", 50), L = num(params, "window", 5), fh = num(params, "horizontalFilters", 16), fv = num(params, "verticalFilters", 4);
  const conv = 2 * fh * d * ((L * (L + 1) * (L + 2)) / 6) + 2 * fv * L * d;
  const fc = 2 * (fh * L + fv * d) * d;
  const output = 2 * (2 * d + 1) * size.numItems;
  return { trainPerEpoch: 3 * sequenceTargets(size) * (conv + fc + output), evaluation: size.numUsers * (conv + fc + output), exact: false };
};

/** ConvMF: the text CNN over every item's document per CNN epoch (ALS sweeps are typed-array JS, not counted). */
export const convmfFlops: FlopsOf = (params, size) => {
  const I = size.numItems, T = num(params, "maxTokens", 32), E = num(params, "embeddingDim", 32), F = num(params, "filters", 32), W = num(params, "maxWindow", 3), f = num(params, "factors", 32);
  const conv = 2 * T * F * E * (W * (W + 1)) / 2;
  return { trainPerEpoch: 3 * I * num(params, "cnnEpochsPerRound", 5) * (conv + 2 * F * W * f), evaluation: 2 * size.numUsers * I * f, exact: false };
};

const DEEP_FLOPS: Record<string, FlopsOf> = {
  neumf: neumfFlops,
  cdae: autoencoderFlops(AUTOENCODER_WIDTHS.cdae),
  "mult-dae": autoencoderFlops(AUTOENCODER_WIDTHS["mult-dae"]),
  "mult-vae": multVaeFlops,
  sasrec: sasrecFlops,
  gru4rec: gru4recFlops,
  caser: caserFlops,
  convmf: convmfFlops,
};

/** The dense work of a deep model (null for the typed-array models). */
export function deepFlops(modelId: string, params: Record<string, unknown>, size: FlopsSize): DeepFlops | null {
  const of = DEEP_FLOPS[modelId];
  return of ? of(params, size) : null;
}

/** Ideal seconds of `flops` at `gflopsPerSecond`, and measured ÷ ideal as an efficiency in [0, 1]. */
export function efficiency(flops: number, seconds: number, gflopsPerSecond: number): { idealSeconds: number; efficiency: number } {
  const idealSeconds = flops / (gflopsPerSecond * 1e9);
  return { idealSeconds, efficiency: seconds > 0 ? idealSeconds / seconds : 0 };
}
