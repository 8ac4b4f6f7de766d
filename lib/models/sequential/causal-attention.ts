import type { Tensor, Tensor3D } from "@tensorflow/tfjs";
import { jsKernel } from "../../training/js-kernel";
import { nativeMatMulActive } from "../../training/native-matmul";
import { batchMatMul } from "../../training/wasm-batch-matmul";
import type { Rng } from "../../util/rng";
import type { Tf } from "./tf-helpers";

/**
 * Causal scaled dot-product attention (Vaswani et al. 2017) as one op with a hand-written
 * gradient: softmax(q·kᵀ·scale, keys j ≤ query i only), inverted dropout on the probabilities,
 * times v; q, k, v are [batch, L, dk]. The batched matMuls run on the native matMul
 * (lib/training/native-matmul.ts) where it is loaded, else on the fast per-element XNNPACK kernel
 * (lib/training/wasm-batch-matmul.ts); the masked softmax, the dropout and their backward
 * pass are one JS loop each over the [batch, L, L] scores, which are small (L ≤ a few hundred),
 * where the tf-ops version cost a dozen kernels forward and more in autodiff's backward.
 * Backward: dS = scale · P ⊙ (dP − rowsum(dP ⊙ P)), dq = dS·k, dk = dSᵀ·q, dv = P̃ᵀ·dout, with P̃
 * the dropped-out probabilities and dP = (dout·vᵀ) ⊙ dropout mask.
 * `probabilities`, when given, receives P (before dropout) as a kept [batch, L, L] tensor: the caller disposes it.
 */
export function causalAttention(tf: Tf, q: Tensor3D, k: Tensor3D, v: Tensor3D, rate: number, rng: Rng | null, probabilities?: Tensor[]): Tensor3D {
  const [batch, L, dk] = q.shape;
  const scale = 1 / Math.sqrt(dk);
  const square = [batch, L, L];
  const dropping = rng !== null && rate > 0;
  // On the native matMul the transposed products take the transpose flag; elsewhere the JS
  // kernels write the per-block transposes (XNNPACK's flags are its slow path).
  const flags = nativeMatMulActive();
  const transposed = flags ? [0] : square;
  const op = tf.customGrad((...args) => {
    const [qt, kt, vt, save] = args as unknown as [Tensor3D, Tensor3D, Tensor3D, (tensors: Tensor[]) => void];
    const scores = batchMatMulTransposedB(tf, qt, kt);
    // P, the dropped-out P̃ and its per-block transpose (for dv), and the dropout multipliers.
    const [p, dropped, droppedT, keep] = jsKernel(tf, [scores], [square, square, transposed, dropping ? square : [0]], ([s], [pv, dv, dtv, kv]) => {
      causalSoftmax(s, pv, batch, L, scale);
      if (dropping) dropoutScales(rng, kv, batch, L, rate);
      for (let i = 0; i < pv.length; i++) dv[i] = dropping ? pv[i] * kv[i] : pv[i];
      if (!flags) transposeBlocks(dv, dtv, batch, L);
    });
    if (probabilities) probabilities.push(tf.keep(p));
    save([qt, kt, vt, p, flags ? dropped : droppedT, keep]);
    return {
      value: batchMatMul(tf, dropped, vt),
      gradFunc: (dy, saved) => {
        const [sq, sk, sv, sp, sd, skeep] = saved as Tensor3D[];
        const dout = dy as Tensor3D;
        const dDropped = batchMatMulTransposedB(tf, dout, sv);
        const dv = flags ? tf.matMul(sd, dout, true, false) : batchMatMul(tf, sd, dout);
        const [ds, dsT] = jsKernel(tf, [sp, dDropped, skeep], [square, transposed], ([pv, ddv, kv], [dsv, dstv]) => {
          softmaxBackward(pv, ddv, dropping ? kv : null, dsv, batch, L, scale);
          if (!flags) transposeBlocks(dsv, dstv, batch, L);
        });
        const dk = flags ? tf.matMul(ds as Tensor3D, sq, true, false) : batchMatMul(tf, dsT as Tensor3D, sq);
        return [batchMatMul(tf, ds as Tensor3D, sk), dk, dv];
      },
    };
  });
  return op(q, k, v) as Tensor3D;
}

/** x · yᵀ per batch element: the transpose flag on the native matMul, where it is free; else a materialised transpose. */
function batchMatMulTransposedB(tf: Tf, x: Tensor3D, y: Tensor3D): Tensor3D {
  return nativeMatMulActive() ? tf.matMul(x, y, false, true) : batchMatMul(tf, x, tf.transpose(y, [0, 2, 1]));
}

/** Row softmax of scores·scale over keys j ≤ i into `p` (future keys keep probability 0). */
function causalSoftmax(scores: Float32Array, p: Float32Array, batch: number, L: number, scale: number): void {
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < L; i++) {
      const row = (b * L + i) * L;
      let max = -Infinity;
      for (let j = 0; j <= i; j++) max = Math.max(max, scores[row + j] * scale);
      let sum = 0;
      for (let j = 0; j <= i; j++) sum += p[row + j] = Math.exp(scores[row + j] * scale - max);
      const inv = 1 / sum;
      for (let j = 0; j <= i; j++) p[row + j] *= inv;
    }
  }
}

/** Inverted-dropout multipliers (0 or 1/(1−rate)) for the causal entries into `keep`; future entries stay 0. */
function dropoutScales(rng: Rng, keep: Float32Array, batch: number, L: number, rate: number): void {
  const kept = 1 / (1 - rate);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < L; i++) {
      const row = (b * L + i) * L;
      for (let j = 0; j <= i; j++) keep[row + j] = rng.next() < 1 - rate ? kept : 0;
    }
  }
}

/** dS = scale · P ⊙ (dP − rowsum(dP ⊙ P)) into `ds`, dP = dP̃ ⊙ keep; zero on future entries. */
function softmaxBackward(p: Float32Array, dDropped: Float32Array, keep: Float32Array | null, ds: Float32Array, batch: number, L: number, scale: number): void {
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < L; i++) {
      const row = (b * L + i) * L;
      let dot = 0;
      for (let j = 0; j <= i; j++) {
        const dp = keep ? dDropped[row + j] * keep[row + j] : dDropped[row + j];
        ds[row + j] = dp;
        dot += dp * p[row + j];
      }
      for (let j = 0; j <= i; j++) ds[row + j] = scale * p[row + j] * (ds[row + j] - dot);
    }
  }
}

/** Each [L, L] block of `x` transposed into `out`. */
function transposeBlocks(x: Float32Array, out: Float32Array, batch: number, L: number): void {
  for (let b = 0, o = 0; b < batch; b++, o += L * L) {
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) out[o + j * L + i] = x[o + i * L + j];
  }
}
