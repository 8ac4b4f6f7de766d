/**
 * NeuMF's fused per-pair kernels: plain loops over row-major Float32Arrays (tensor memory views
 * on wasm / cpu, see lib/training/tensor-memory.ts). Each replaces a chain of tf ops — gather,
 * concat, add, relu, their gradients (UnsortedSegmentSum, masks, Sum over axis 0, which wasm runs
 * through a transpose) — by one pass over the batch, and writes the transposed activations the
 * weight gradients need (a tiled copy, cheaper than wasm's Transpose kernel), so the matMuls of
 * the backward pass take no transpose flags and no tf.transpose of a batch-sized tensor.
 *
 * Shapes: n pairs, w columns. `users[p]`, `items[p]` index the rows of per-user / per-item tables.
 *
 * No data-dependent branches in the loops: about half of the units are inactive in no predictable
 * order, and a mispredicted `v > 0 ? v : 0` per element made these kernels 3x slower. ReLU is
 * (v + |v|) / 2 (exact), its derivative a bit test of the stored activation (`activeMask`).
 *
 * When the native addon is built, the layer kernels, the head's sums and gradient loop and the
 * row penalty run there (native/linalg/neumf-kernels.h) with the same bits (double sums in the
 * same order); `neumfKernelsJs` are the JavaScript ones, used otherwise and as the tests'
 * reference. The head's exp and log1p stay here, so the loss keeps V8's bits.
 */

import { nativeLinalg, type NativeLinalg } from "../linalg/native-kernel";

/** The addon's NeuMF kernels, when built with them. */
const native = (): Partial<NativeLinalg> | undefined => nativeLinalg()?.addon;

/** relu(v) without a branch: (v + |v|) / 2 is v for v > 0 and 0 otherwise, exactly. */
const relu = (v: number) => (v + Math.abs(v)) * 0.5;

/**
 * The int32 bits of non-negative floats (ReLU outputs): a bit is 0 for +0 and positive for every
 * value > 0, so `(-bits[i]) >>> 31` is relu′ as 1 or 0 with integer ops only.
 */
const activeMask = (h: Float32Array) => new Int32Array(h.buffer, h.byteOffset, h.length);

/**
 * The MLP's first layer over pre-projected tables: h[p] = relu(userRows[users[p]] + itemRows[items[p]] + bias),
 * where userRows = mlpUser · W0[:e] and itemRows = mlpItem · W0[e:] (so concat(p_u, q_i) · W0
 * costs a table projection per step instead of a matMul per pair). `hT` ([w, n]) receives the
 * transpose when given. Returns nothing; writes h ([n, w]).
 */
function gatherAddReluJs(
  userRows: Float32Array,
  users: Int32Array,
  itemRows: Float32Array,
  items: Int32Array,
  bias: Float32Array,
  w: number,
  n: number,
  h: Float32Array,
  hT?: Float32Array,
): void {
  for (let p = 0; p < n; p++) {
    const a = users[p] * w, b = items[p] * w, o = p * w;
    for (let j = 0; j < w; j++) {
      h[o + j] = relu(userRows[a + j] + itemRows[b + j] + bias[j]);
    }
  }
  if (hT) transposeInto(h, n, w, hT);
}

/**
 * Scoring's first layer, every item for each user of a batch: row b·I + i of `h` ([B·I, w]) is
 * relu(userRows[batchUsers[b]] + bias + itemRows[i]). The item rows are read in order, so no
 * per-pair index arrays are built.
 */
function userByItemsReluJs(userRows: Float32Array, batchUsers: Int32Array, itemRows: Float32Array, numItems: number, bias: Float32Array, w: number, h: Float32Array): void {
  const base = new Float64Array(w);
  for (let b = 0; b < batchUsers.length; b++) {
    const a = batchUsers[b] * w;
    for (let j = 0; j < w; j++) base[j] = userRows[a + j] + bias[j];
    let o = b * numItems * w;
    for (let r = 0; r < numItems * w; r += w, o += w) {
      for (let j = 0; j < w; j++) h[o + j] = relu(base[j] + itemRows[r + j]);
    }
  }
}

/**
 * Scoring's last MLP layer and output weights in one pass: out[p] = Σ_j relu(z[p, j] + bias[j]) · m[j]
 * over z ([n, w]), without writing the activations back.
 */
function biasReluDotJs(z: Float32Array, bias: Float32Array, m: Float32Array, w: number, n: number, out: Float32Array): void {
  for (let p = 0; p < n; p++) {
    const o = p * w;
    let sum = 0;
    for (let j = 0; j < w; j++) sum += relu(z[o + j] + bias[j]) * m[j];
    out[p] = sum;
  }
}

/** In place z ← relu(z + bias) over [n, w]; `hT` ([w, n]) receives the transpose when given. */
function biasReluJs(z: Float32Array, bias: Float32Array, w: number, n: number, hT?: Float32Array): void {
  for (let p = 0; p < n; p++) {
    const o = p * w;
    for (let j = 0; j < w; j++) z[o + j] = relu(z[o + j] + bias[j]);
  }
  if (hT) transposeInto(z, n, w, hT);
}

/**
 * In place d ← d ⊙ relu′ for h = biasRelu(z), and adds the column sums of the result (the bias
 * gradient) to `dBias`.
 */
function reluBackwardJs(d: Float32Array, h: Float32Array, w: number, n: number, dBias: Float32Array): void {
  const bits = activeMask(h);
  for (let p = 0; p < n; p++) {
    const o = p * w;
    for (let j = 0; j < w; j++) {
      const g = d[o + j] * ((-bits[o + j]) >>> 31);
      d[o + j] = g;
      dBias[j] += g;
    }
  }
}

/**
 * The gradient of `gatherAddRelu`: with g = d ⊙ relu′(h), scatter-adds g's rows into dUserRows
 * at users[p] and dItemRows at items[p], and adds its column sums to dBias (all accumulate).
 */
function gatherAddReluBackwardJs(
  d: Float32Array,
  h: Float32Array,
  users: Int32Array,
  items: Int32Array,
  w: number,
  n: number,
  dUserRows: Float32Array,
  dItemRows: Float32Array,
  dBias: Float32Array,
): void {
  const bits = activeMask(h);
  for (let p = 0; p < n; p++) {
    const a = users[p] * w, b = items[p] * w, o = p * w;
    for (let j = 0; j < w; j++) {
      const g = d[o + j] * ((-bits[o + j]) >>> 31);
      dUserRows[a + j] += g;
      dItemRows[b + j] += g;
      dBias[j] += g;
    }
  }
}

/** out ([w, n]) = the transpose of x ([n, w]), in 16-row tiles so reads and writes stay in cache. */
export function transposeInto(x: Float32Array, n: number, w: number, out: Float32Array): void {
  const TILE = 16;
  for (let p0 = 0; p0 < n; p0 += TILE) {
    const p1 = Math.min(n, p0 + TILE);
    for (let j = 0; j < w; j++) {
      const o = j * n;
      for (let p = p0; p < p1; p++) out[o + p] = x[p * w + j];
    }
  }
}

/** log(1 + eˣ) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export interface HeadInputs {
  users: Int32Array;
  items: Int32Array;
  labels: Float32Array;
  n: number;
  /** GMF embeddings [U, f], [I, f] and output weights [f]. */
  gmfUser: Float32Array;
  gmfItem: Float32Array;
  gmfOut: Float32Array;
  /** The MLP's last activations [n, f] and output weights [f]. */
  h: Float32Array;
  mlpOut: Float32Array;
  outBias: number;
  f: number;
  /** true: one loss on gmf + mlp + bias (NeuMF); false: pre-training, each tower its own loss. */
  fused: boolean;
  /**
   * Absent: the paper's pointwise loss, binary cross-entropy of every pair against its label.
   * Set: the pairwise (BPR) loss over groups of this many pairs, an observed one followed by its
   * sampled negatives (n a multiple of it): softplus(−(s_pos − s_neg)) per negative, averaged.
   */
  group?: number;
  /** L2 coefficient on the GMF rows each pair looks up (× squared norm / n). */
  reg: number;
}

/** Gradients of the head, accumulated (dGmfUser, dGmfItem [U|I, f]) or written (dH [n, f]). */
export interface HeadGrads {
  dH: Float32Array;
  dGmfUser: Float32Array;
  dGmfItem: Float32Array;
  dGmfOut: Float32Array;
  dMlpOut: Float32Array;
}

/**
 * The output layer and loss over a batch: GMF logit Σ_f p_uf q_if g_f, MLP logit h_p · m, the
 * pointwise or pairwise loss (see `group`) and the GMF rows' L2 penalty (mean over pairs); writes
 * the gradients of everything it read and returns the loss and d(outBias).
 */
export function neumfHead(x: HeadInputs, g: HeadGrads): { loss: number; dOutBias: number } {
  const { users, items, labels, n, gmfUser, gmfItem, gmfOut, h, mlpOut, outBias, f, fused, reg, group } = x;
  // The sums and the gradient loop run on the addon when built; exp and log1p stay here (the
  // same bits need V8's), in one pass over the pairs between them.
  const [gmf, mlp, norms, dGmf, dMlp] = headScratch(n);
  (native()?.neumf_head_dots_f32 ?? headDots)(users, items, gmfUser, gmfItem, gmfOut, h, mlpOut, f, n, gmf, mlp, norms);
  const logits = { gmf, mlp, dGmf, dMlp, n, fused };
  const { loss, dOutBias } = group ? pairwiseLogitGrads(logits, group) : pointwiseLogitGrads(logits, labels, outBias);
  let penalty = 0;
  for (let p = 0; p < n; p++) penalty += norms[p];
  (native()?.neumf_head_grads_f32 ?? headGrads)(users, items, gmfUser, gmfItem, gmfOut, h, mlpOut, f, n, dGmf, dMlp, (2 * reg) / n, g.dH, g.dGmfUser, g.dGmfItem, g.dGmfOut, g.dMlpOut);
  return { loss: loss + (reg * penalty) / n, dOutBias };
}

/** Each pair's tower logits and, written by the loss, their gradients (dGmf, dMlp). */
interface HeadLogits {
  gmf: Float64Array;
  mlp: Float64Array;
  dGmf: Float64Array;
  dMlp: Float64Array;
  n: number;
  fused: boolean;
}

/** Binary cross-entropy per pair, mean over pairs; pre-training: one per tower (the bias on GMF's). */
function pointwiseLogitGrads({ gmf, mlp, dGmf, dMlp, n, fused }: HeadLogits, labels: Float32Array, outBias: number): { loss: number; dOutBias: number } {
  const inv = 1 / n;
  let loss = 0, dOutBias = 0;
  for (let p = 0; p < n; p++) {
    const y = labels[p];
    if (fused) {
      const logit = gmf[p] + mlp[p] + outBias;
      loss += softplus(logit) - y * logit;
      dGmf[p] = dMlp[p] = (sigmoid(logit) - y) * inv;
    } else {
      const lg = gmf[p] + outBias;
      loss += softplus(lg) - y * lg + softplus(mlp[p]) - y * mlp[p];
      dGmf[p] = (sigmoid(lg) - y) * inv;
      dMlp[p] = (sigmoid(mlp[p]) - y) * inv;
    }
    dOutBias += dGmf[p];
  }
  return { loss: loss * inv, dOutBias };
}

/**
 * BPR's loss softplus(−(s_pos − s_neg)) for each negative of each group, mean over those
 * (positive, negative) pairs; pre-training: one per tower. The bias cancels in the differences.
 */
function pairwiseLogitGrads({ gmf, mlp, dGmf, dMlp, n, fused }: HeadLogits, group: number): { loss: number; dOutBias: number } {
  if (group < 2 || n % group !== 0) throw new RangeError(`neumfHead: ${n} pairs are not whole groups of ${group} (an observed pair and its negatives)`);
  const inv = 1 / ((n / group) * (group - 1));
  dGmf.fill(0);
  dMlp.fill(0);
  let loss = 0;
  for (let p = 0; p < n; p += group) {
    for (let q = p + 1; q < p + group; q++) {
      if (fused) {
        const margin = gmf[p] + mlp[p] - gmf[q] - mlp[q];
        loss += softplus(-margin);
        const d = sigmoid(-margin) * inv;
        dGmf[p] -= d;
        dGmf[q] += d;
      } else {
        const mg = gmf[p] - gmf[q], mm = mlp[p] - mlp[q];
        loss += softplus(-mg) + softplus(-mm);
        const dg = sigmoid(-mg) * inv, dm = sigmoid(-mm) * inv;
        dGmf[p] -= dg;
        dGmf[q] += dg;
        dMlp[p] -= dm;
        dMlp[q] += dm;
      }
    }
  }
  if (fused) dMlp.set(dGmf);
  return { loss: loss * inv, dOutBias: 0 };
}

// Per-pair scratch of `neumfHead` (every entry is written before it is read), grown, never shrunk.
let scratch: Float64Array[] = [];

/** Five views of n doubles: the head's logits and norms, then its logit gradients. */
function headScratch(n: number): Float64Array[] {
  if (scratch.length === 0 || scratch[0].length < n) scratch = Array.from({ length: 5 }, () => new Float64Array(n));
  return scratch.map((a) => a.subarray(0, n));
}

/** Per pair p: the GMF logit Σ_j p_uj q_ij g_j, the MLP logit h_p · m and Σ_j p_uj² + q_ij², summed in order. */
function headDots(users: Int32Array, items: Int32Array, gmfUser: Float32Array, gmfItem: Float32Array, gmfOut: Float32Array, h: Float32Array, mlpOut: Float32Array, f: number, n: number, gmf: Float64Array, mlp: Float64Array, norms: Float64Array): void {
  for (let p = 0; p < n; p++) {
    const a = users[p] * f, b = items[p] * f, o = p * f;
    let dot = 0, out = 0, sq = 0;
    for (let j = 0; j < f; j++) {
      const pu = gmfUser[a + j], qi = gmfItem[b + j];
      dot += pu * qi * gmfOut[j];
      out += h[o + j] * mlpOut[j];
      sq += pu * pu + qi * qi;
    }
    gmf[p] = dot;
    mlp[p] = out;
    norms[p] = sq;
  }
}

/** The head's gradients from each pair's logit gradients (dGmf, dMlp): accumulated into the GMF rows and output weights, written to dH. */
function headGrads(users: Int32Array, items: Int32Array, gmfUser: Float32Array, gmfItem: Float32Array, gmfOut: Float32Array, h: Float32Array, mlpOut: Float32Array, f: number, n: number, dGmf: Float64Array, dMlp: Float64Array, reg2: number, dH: Float32Array, dGmfUser: Float32Array, dGmfItem: Float32Array, dGmfOut: Float32Array, dMlpOut: Float32Array): void {
  for (let p = 0; p < n; p++) {
    const a = users[p] * f, b = items[p] * f, o = p * f, dg = dGmf[p], dm = dMlp[p];
    for (let j = 0; j < f; j++) {
      const pu = gmfUser[a + j], qi = gmfItem[b + j], gj = gmfOut[j];
      dGmfUser[a + j] += dg * qi * gj + reg2 * pu;
      dGmfItem[b + j] += dg * pu * gj + reg2 * qi;
      dGmfOut[j] += dg * pu * qi;
      dMlpOut[j] += dm * h[o + j];
      dH[o + j] = dm * mlpOut[j];
    }
  }
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * The L2 penalty on looked-up rows of a table, by how often each row was looked up: adds
 * 2 · scale · counts[r] · row to grad and returns scale · Σ_r counts[r] · ‖row‖².
 */
export function countedRowPenalty(table: Float32Array, counts: Int32Array, d: number, scale: number, grad: Float32Array): number {
  return (native()?.counted_row_penalty_f32 ?? countedRowPenaltyJs)(table, counts, d, scale, grad);
}

function countedRowPenaltyJs(table: Float32Array, counts: Int32Array, d: number, scale: number, grad: Float32Array): number {
  let total = 0;
  for (let r = 0; r < counts.length; r++) {
    const c = counts[r];
    if (c === 0) continue;
    const o = r * d;
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const v = table[o + j];
      sq += v * v;
      grad[o + j] += 2 * scale * c * v;
    }
    total += c * sq;
  }
  return scale * total;
}

/**
 * Fills `words` with xorshift32 (13, 17, 5) from `state` (int32 bits, never 0); returns the state
 * after the last word. Dropout's random bytes: four units per word.
 */
export function xorshiftFill(words: Uint32Array, state: number): number {
  const k = native()?.xorshift_fill_u32;
  return k ? k(words, state >>> 0) | 0 : xorshiftFillJs(words, state);
}

function xorshiftFillJs(words: Uint32Array, state: number): number {
  for (let k = 0; k < words.length; k++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[k] = state;
  }
  return state;
}

/** x[k] ·= multiplier[bytes[k]] over x: a dropout mask applied in place. */
export function maskInPlace(x: Float32Array, bytes: Uint8Array, multiplier: Float32Array): void {
  (native()?.mask_in_place_f32 ?? maskInPlaceJs)(x, bytes, multiplier);
}

function maskInPlaceJs(x: Float32Array, bytes: Uint8Array, multiplier: Float32Array): void {
  for (let k = 0; k < x.length; k++) x[k] *= multiplier[bytes[k]];
}

/** x[k] ·= s in place (s a float32 value). */
export function scaleInPlace(x: Float32Array, s: number): void {
  (native()?.scale_in_place_f32 ?? scaleInPlaceJs)(x, s);
}

function scaleInPlaceJs(x: Float32Array, s: number): void {
  for (let k = 0; k < x.length; k++) x[k] *= s;
}

/** The JavaScript layer kernels (the reference; the path without the addon). */
export const neumfKernelsJs = {
  gatherAddRelu: gatherAddReluJs,
  userByItemsRelu: userByItemsReluJs,
  biasReluDot: biasReluDotJs,
  biasRelu: biasReluJs,
  reluBackward: reluBackwardJs,
  gatherAddReluBackward: gatherAddReluBackwardJs,
  headDots,
  headGrads,
  countedRowPenalty: countedRowPenaltyJs,
  xorshiftFill: xorshiftFillJs,
  maskInPlace: maskInPlaceJs,
  scaleInPlace: scaleInPlaceJs,
};

/** gatherAddReluJs's contract, on the addon when built. */
export function gatherAddRelu(userRows: Float32Array, users: Int32Array, itemRows: Float32Array, items: Int32Array, bias: Float32Array, w: number, n: number, h: Float32Array, hT?: Float32Array): void {
  const k = native()?.gather_add_relu_f32;
  if (!k) return gatherAddReluJs(userRows, users, itemRows, items, bias, w, n, h, hT);
  k(userRows, users, itemRows, items, bias, w, n, h);
  if (hT) transposeInto(h, n, w, hT);
}

/** userByItemsReluJs's contract, on the addon when built. */
export function userByItemsRelu(userRows: Float32Array, batchUsers: Int32Array, itemRows: Float32Array, numItems: number, bias: Float32Array, w: number, h: Float32Array): void {
  (native()?.user_by_items_relu_f32 ?? userByItemsReluJs)(userRows, batchUsers, itemRows, numItems, bias, w, h);
}

/** biasReluDotJs's contract, on the addon when built. */
export function biasReluDot(z: Float32Array, bias: Float32Array, m: Float32Array, w: number, n: number, out: Float32Array): void {
  (native()?.bias_relu_dot_f32 ?? biasReluDotJs)(z, bias, m, w, n, out);
}

/** biasReluJs's contract, on the addon when built. */
export function biasRelu(z: Float32Array, bias: Float32Array, w: number, n: number, hT?: Float32Array): void {
  const k = native()?.bias_relu_f32;
  if (!k) return biasReluJs(z, bias, w, n, hT);
  k(z, bias, w, n);
  if (hT) transposeInto(z, n, w, hT);
}

/** reluBackwardJs's contract, on the addon when built. */
export function reluBackward(d: Float32Array, h: Float32Array, w: number, n: number, dBias: Float32Array): void {
  (native()?.relu_backward_f32 ?? reluBackwardJs)(d, h, w, n, dBias);
}

/** gatherAddReluBackwardJs's contract, on the addon when built. */
export function gatherAddReluBackward(d: Float32Array, h: Float32Array, users: Int32Array, items: Int32Array, w: number, n: number, dUserRows: Float32Array, dItemRows: Float32Array, dBias: Float32Array): void {
  (native()?.gather_add_relu_backward_f32 ?? gatherAddReluBackwardJs)(d, h, users, items, w, n, dUserRows, dItemRows, dBias);
}
