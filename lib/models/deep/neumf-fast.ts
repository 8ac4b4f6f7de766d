import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import { matMulTransposedA, matMulTransposedB, type Tf } from "../../training/tf-backend";
import { nativeMatMulActive } from "../../training/native-matmul";
import { uninitializedTensor, viewOf, zeroTensor } from "../../training/tensor-memory";
import { biasRelu, biasReluDot, countedRowPenalty, gatherAddRelu, gatherAddReluBackward, maskInPlace, neumfHead, reluBackward, scaleInPlace, userByItemsRelu, xorshiftFill } from "./neumf-kernels";
import { stepRows, type StepRows } from "./neumf-rows";
import type { Weights } from "./weights";

/**
 * NeuMF's training step and scoring with an explicit backward pass (no autodiff), for the
 * backends whose tensor memory is reachable (wasm, cpu). Where the time went before (31 s per
 * ml-100k epoch): matMul 9.8 s, materialised transposes 6.1 s, GatherV2 4.2 s. Here:
 *
 * - The first MLP layer is applied to the embedding rows, not to the pairs:
 *   concat(p_u, q_i)·W0 = (P·W0[:e])[u] + (Q·W0[e:])[i], projecting a table's rows once per step
 *   (a [U, e]·[e, w0] and an [I, e]·[e, w0] matMul replace an [n, 2e]·[2e, w0] one), only the
 *   batch's distinct rows where they are a small share of a large table (projecting all 9,724
 *   items each step was most of an ml-latest-small epoch; ./neumf-rows.ts), and the per-pair
 *   gather + add + bias + ReLU (and their gradient, a scatter-add into the projected rows) are fused
 *   kernels.
 * - Every other matMul is untransposed: dW = hᵀ·dz takes hᵀ written by the forward kernels; dx =
 *   dz·Wᵀ takes a transpose of the (small) weight matrix.
 * - The output layer, the loss and the GMF tower (gather, product, its gradient) are one kernel.
 *
 * - Dropout is a mask per MLP layer ([n, w_l], 0 or 1 / (1 − rate)) applied in place after the
 *   layer's ReLU; the gradient flowing back is scaled by 1 / (1 − rate), ReLU's derivative at the
 *   stored (masked) activation zeroing the dropped units.
 *
 * Same model, loss and gradients as the tf-ops formulation in neumf.ts (tests compare them, with
 * the same masks); that formulation remains for the other backends and for batch norm (NeuMF
 * with batchNorm on trains and scores through it).
 */

export interface NeuMfLayout {
  numUsers: number;
  numItems: number;
  factors: number;
  /** MLP layer widths, the last one `factors`; the embeddings are widths[0] / 2 wide. */
  widths: number[];
}

export interface PairBatch {
  users: Int32Array;
  items: Int32Array;
  labels: Float32Array;
  n: number;
  /** The pairwise loss's group size (an observed pair and its negatives); absent: pointwise. */
  group?: number;
}

/** The two halves of W0: the user part W0[:e] and the item part W0[e:]. */
function firstLayerHalves(tf: Tf, w: Weights, layout: NeuMfLayout) {
  const e = layout.widths[0] / 2;
  const W0 = w.get("mlpW0");
  return { w0u: tf.slice(W0, [0, 0], [e, -1]), w0i: tf.slice(W0, [e, 0], [e, -1]) };
}

/** The projected tables P·W0[:e] and Q·W0[e:] ([U, w0], [I, w0]) of every user and item (scoring). */
function projectTables(tf: Tf, w: Weights, layout: NeuMfLayout) {
  const { w0u, w0i } = firstLayerHalves(tf, w, layout);
  return { userRows: tf.matMul(w.get("mlpUser"), w0u), itemRows: tf.matMul(w.get("mlpItem"), w0i) };
}

/** The rows of a [_, d] table a step projects, as a [rows, d] tensor (the table itself when whole). */
function gatherRows(tf: Tf, table: Tensor, rows: StepRows, d: number): Tensor {
  if (!rows.distinct) return table;
  const ids = rows.distinct;
  const out = uninitializedTensor(tf, [ids.length, d]);
  const src = viewOf(tf, table), dst = viewOf(tf, out, true);
  for (let r = 0; r < ids.length; r++) for (let k = 0, from = ids[r] * d, to = r * d; k < d; k++) dst[to + k] = src[from + k];
  return out;
}

/** The [size, d] table gradient from its projected rows' [rows, d] gradient (zero at the rows not projected). */
function scatterRows(tf: Tf, grad: Tensor, rows: StepRows, size: number, d: number): Tensor {
  if (!rows.distinct) return grad;
  const ids = rows.distinct;
  const out = zeroTensor(tf, [size, d]);
  const src = viewOf(tf, grad), dst = viewOf(tf, out, true);
  for (let r = 0; r < ids.length; r++) for (let k = 0, from = r * d, to = ids[r] * d; k < d; k++) dst[to + k] = src[from + k];
  return out;
}

/**
 * An inverted-dropout mask of one MLP layer for a batch ([n, width] row-major): unit k is
 * multiplied by `multiplier[bytes[k]]`, 0 for a byte below round(rate × 256) (a drop, probability
 * ≈ the rate) and otherwise 1 / (1 − that probability), so scoring (no dropout) sees the
 * activations' training-time expectation. Random bytes and a 256-entry table, because an ml-100k
 * epoch masks ~70 M units: floats drawn per unit into fresh arrays took a second an epoch, and a
 * compare per unit twice the time of the table lookup. (The backward pass only scales: see
 * `dropBack`.)
 */
export interface DropoutMask {
  bytes: Uint8Array;
  multiplier: Float32Array;
  /** A kept unit's multiplier, 1 / (1 − the drop probability). */
  scale: number;
}

/** Bytes to hold a mask of `size` units (whole 32-bit words). */
export const maskBytes = (size: number) => Math.ceil(size / 4) * 4;

/**
 * One mask per MLP layer for `n` pairs, drawn from `seed` alone by xorshift32 (four units per
 * draw), into `buffers` (each ≥ maskBytes(n × width), reused across a run's batches) when given.
 */
export function dropoutMasks(widths: number[], n: number, rate: number, seed: number, buffers?: Uint8Array[]): DropoutMask[] {
  const threshold = Math.round(rate * 256);
  // Rounded to float32 once, so the table and the backward scale are the same number.
  const scale = Math.fround(256 / (256 - threshold));
  const multiplier = Float32Array.from({ length: 256 }, (_, byte) => (byte < threshold ? 0 : scale));
  let state = (Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x6d2b79f5) | 1; // never 0, xorshift's fixed point
  return widths.map((width, l) => {
    const size = n * width;
    const bytes = buffers ? buffers[l] : new Uint8Array(maskBytes(size));
    state = xorshiftFill(new Uint32Array(bytes.buffer, bytes.byteOffset, maskBytes(size) / 4), state);
    return { bytes: bytes.subarray(0, size), multiplier, scale };
  });
}

/** A mask as each unit's multiplier (0 or 1 / (1 − rate)), for the tf-ops formulation. */
export function maskValues(mask: DropoutMask): Float32Array {
  const { bytes, multiplier } = mask;
  const out = new Float32Array(bytes.length);
  for (let k = 0; k < bytes.length; k++) out[k] = multiplier[bytes[k]];
  return out;
}

/** x ⊙ mask in place ([n, width] row-major); with `xT`, also its transpose ([width, n]). */
function applyMask(x: Float32Array, mask: DropoutMask, width: number, n: number, xT?: Float32Array): void {
  const { bytes, multiplier } = mask;
  maskInPlace(x.subarray(0, n * width), bytes, multiplier);
  if (!xT) return;
  for (let p = 0; p < n; p++) for (let j = 0; j < width; j++) xT[j * n + p] *= multiplier[bytes[p * width + j]];
}

/** Occurrences of each index in `ids[0..n)` (for the L2 penalty of looked-up rows). */
function countIds(ids: Int32Array, n: number, size: number): Int32Array {
  const counts = new Int32Array(size);
  for (let p = 0; p < n; p++) counts[ids[p]]++;
  return counts;
}

/**
 * Loss and gradients (keyed like the weights) of one batch. `fused`: the NeuMF loss; otherwise
 * pre-training (each tower its own loss, pointwise or pairwise as `batch.group` says). `reg`: the
 * embeddingReg penalty. `masks`: dropout masks from `dropoutMasks` (none: no dropout). Caller
 * disposes grads.
 */
export function neumfLossAndGrads(
  tf: Tf,
  w: Weights,
  layout: NeuMfLayout,
  batch: PairBatch,
  options: { fused: boolean; reg: number; masks?: DropoutMask[] },
): { loss: number; grads: Record<string, Tensor> } {
  const { numUsers: U, numItems: I, factors: f, widths } = layout;
  const { users, items, labels, n, group } = batch;
  const L = widths.length, e = widths[0] / 2;
  let loss = 0;
  const grads = tf.tidy(() => {
    const out: Record<string, Tensor> = {};
    // The first layer on the batch's distinct users and items where they are few (bu, bi).
    const { w0u, w0i } = firstLayerHalves(tf, w, layout);
    const bu = stepRows(users, n, U), bi = stepRows(items, n, I);
    const userEmb = gatherRows(tf, w.get("mlpUser"), bu, e), itemEmb = gatherRows(tf, w.get("mlpItem"), bi, e);
    const userRows = tf.matMul(userEmb as Tensor2D, w0u), itemRows = tf.matMul(itemEmb as Tensor2D, w0i);
    // Forward: activations h[l] ([n, w_l]) and, where a weight gradient needs them and matMul's
    // transpose flag is not free (XNNPACK), h[l]ᵀ.
    const copyTransposes = !nativeMatMulActive();
    const h: Tensor[] = [], hT: (Tensor | null)[] = [];
    // Kernel outputs written in full are allocated uninitialised; accumulators are zero-filled.
    h.push(uninitializedTensor(tf, [n, widths[0]]));
    hT.push(L > 1 && copyTransposes ? uninitializedTensor(tf, [widths[0], n]) : null);
    const { masks } = options;
    const dropOut = (l: number) => masks && applyMask(viewOf(tf, h[l], true), masks[l], widths[l], n, hT[l] ? viewOf(tf, hT[l]!, true) : undefined);
    gatherAddRelu(viewOf(tf, userRows), bu.local, viewOf(tf, itemRows), bi.local, viewOf(tf, w.get("mlpB0")), widths[0], n, viewOf(tf, h[0], true), hT[0] ? viewOf(tf, hT[0], true) : undefined);
    dropOut(0);
    for (let l = 1; l < L; l++) {
      const z = tf.matMul(h[l - 1] as Tensor2D, w.get(`mlpW${l}`) as Tensor2D);
      const t = l < L - 1 && copyTransposes ? uninitializedTensor(tf, [widths[l], n]) : null;
      biasRelu(viewOf(tf, z, true), viewOf(tf, w.get(`mlpB${l}`)), widths[l], n, t ? viewOf(tf, t, true) : undefined);
      h.push(z);
      hT.push(t);
      dropOut(l);
    }

    // Output layer and loss (GMF tower included).
    let dH = uninitializedTensor(tf, [n, f]);
    const dGmfUser = zeroTensor(tf, [U, f]), dGmfItem = zeroTensor(tf, [I, f]), dGmfOut = zeroTensor(tf, [f, 1]), dMlpOut = zeroTensor(tf, [f, 1]);
    const head = neumfHead(
      {
        users, items, labels, n, f, fused: options.fused, reg: options.reg, group,
        gmfUser: viewOf(tf, w.get("gmfUser")), gmfItem: viewOf(tf, w.get("gmfItem")), gmfOut: viewOf(tf, w.get("gmfOut")),
        h: viewOf(tf, h[L - 1]), mlpOut: viewOf(tf, w.get("mlpOut")), outBias: viewOf(tf, w.get("outBias"))[0],
      },
      { dH: viewOf(tf, dH, true), dGmfUser: viewOf(tf, dGmfUser, true), dGmfItem: viewOf(tf, dGmfItem, true), dGmfOut: viewOf(tf, dGmfOut, true), dMlpOut: viewOf(tf, dMlpOut, true) },
    );
    loss = head.loss;
    Object.assign(out, { gmfUser: dGmfUser, gmfItem: dGmfItem, gmfOut: dGmfOut, mlpOut: dMlpOut, outBias: tf.tensor2d([head.dOutBias], [1, 1]) });

    // Backward through the MLP: dh ⊙ mask, dz = dh ⊙ relu′ (bias gradient alongside), dW = hᵀ·dz,
    // dh = dz·Wᵀ. h is stored masked, so relu′ is 0 at a dropped unit and the mask's zeros come
    // free: only the kept units' scale is applied here.
    const dropBack = (l: number) => masks && scaleInPlace(viewOf(tf, dH, true), masks[l].scale);
    for (let l = L - 1; l >= 1; l--) {
      dropBack(l);
      const dB = zeroTensor(tf, [1, widths[l]]);
      reluBackward(viewOf(tf, dH, true), viewOf(tf, h[l]), widths[l], n, viewOf(tf, dB, true));
      out[`mlpB${l}`] = dB;
      out[`mlpW${l}`] = hT[l - 1] ? tf.matMul(hT[l - 1] as Tensor2D, dH as Tensor2D) : matMulTransposedA(tf, h[l - 1], dH);
      dH = matMulTransposedB(tf, dH, w.get(`mlpW${l}`));
    }
    // Layer 0: scatter-add into the projected rows, back through the projections, and into the tables.
    dropBack(0);
    const dUserRows = zeroTensor(tf, [bu.distinct?.length ?? U, widths[0]]), dItemRows = zeroTensor(tf, [bi.distinct?.length ?? I, widths[0]]), dB0 = zeroTensor(tf, [1, widths[0]]);
    gatherAddReluBackward(viewOf(tf, dH), viewOf(tf, h[0]), bu.local, bi.local, widths[0], n, viewOf(tf, dUserRows, true), viewOf(tf, dItemRows, true), viewOf(tf, dB0, true));
    out.mlpB0 = dB0;
    out.mlpW0 = tf.concat([matMulTransposedA(tf, userEmb, dUserRows), matMulTransposedA(tf, itemEmb, dItemRows)], 0);
    const dMlpUser = scatterRows(tf, matMulTransposedB(tf, dUserRows, w0u), bu, U, e);
    const dMlpItem = scatterRows(tf, matMulTransposedB(tf, dItemRows, w0i), bi, I, e);
    if (options.reg > 0) {
      const scale = options.reg / n;
      loss += countedRowPenalty(viewOf(tf, w.get("mlpUser")), countIds(users, n, U), e, scale, viewOf(tf, dMlpUser, true));
      loss += countedRowPenalty(viewOf(tf, w.get("mlpItem")), countIds(items, n, I), e, scale, viewOf(tf, dMlpItem, true));
    }
    out.mlpUser = dMlpUser;
    out.mlpItem = dMlpItem;
    return out;
  });
  return { loss, grads };
}

/**
 * Scores of users × every item ([B, I]) for one batch of users, inside the caller's tf.tidy.
 * `tables` comes from `scoringTables` (computed once per scoring pass). Tower scales as in
 * neumf.ts: (1, 1) once fused, (α, 1 − α) while pre-training.
 */
export function scoreUsersFast(tf: Tf, w: Weights, layout: NeuMfLayout, tables: ScoringTables, batchUsers: Int32Array, scales: [number, number]): Tensor {
  const { numItems: I, widths } = layout;
  const B = batchUsers.length, n = B * I, L = widths.length;
  const h0 = uninitializedTensor(tf, [n, widths[0]]);
  userByItemsRelu(viewOf(tf, tables.userRows), batchUsers, viewOf(tf, tables.itemRows), I, viewOf(tf, w.get("mlpB0")), widths[0], viewOf(tf, h0, true));
  let mlp: Tensor;
  if (L === 1) mlp = tf.matMul(h0 as Tensor2D, w.get("mlpOut") as Tensor2D);
  else {
    let h = h0;
    for (let l = 1; l < L - 1; l++) {
      h = tf.matMul(h as Tensor2D, w.get(`mlpW${l}`) as Tensor2D);
      biasRelu(viewOf(tf, h, true), viewOf(tf, w.get(`mlpB${l}`)), widths[l], n);
    }
    // The last layer's ReLU and the output weights in one pass (no [n, 1] matMul).
    const z = tf.matMul(h as Tensor2D, w.get(`mlpW${L - 1}`) as Tensor2D);
    mlp = uninitializedTensor(tf, [n, 1]);
    biasReluDot(viewOf(tf, z), viewOf(tf, w.get(`mlpB${L - 1}`)), viewOf(tf, w.get("mlpOut")), widths[L - 1], n, viewOf(tf, mlp, true));
  }
  const u = tf.tensor1d(batchUsers, "int32");
  const gmf = tf.matMul(tf.gather(tables.gmfUserScaled, u) as Tensor2D, tables.gmfItemT as Tensor2D);
  return tf.add(tf.add(tf.mul(gmf, scales[0]), tf.mul(tf.reshape(mlp, [B, I]), scales[1])), w.get("outBias"));
}

export interface ScoringTables {
  userRows: Tensor;
  itemRows: Tensor;
  /** GMF user embeddings × the GMF output weights, [U, f]; GMF item embeddings transposed, [f, I]. */
  gmfUserScaled: Tensor;
  gmfItemT: Tensor;
}

/** The per-pass tables of `scoreUsersFast` (caller disposes them). */
export function scoringTables(tf: Tf, w: Weights, layout: NeuMfLayout): ScoringTables {
  return tf.tidy(() => {
    const { userRows, itemRows } = projectTables(tf, w, layout);
    const gmfUserScaled = tf.mul(w.get("gmfUser"), tf.reshape(w.get("gmfOut"), [1, -1]));
    return { userRows, itemRows, gmfUserScaled, gmfItemT: tf.transpose(w.get("gmfItem")) };
  });
}
