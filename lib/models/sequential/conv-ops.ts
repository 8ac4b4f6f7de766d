import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import { jsKernel } from "../../training/js-kernel";
import { gatherRows, type Tf } from "./tf-helpers";
import { nativeLinalg } from "../linalg/native-kernel";

/**
 * The two halves of a 1-D convolution over token windows as fast wasm work (Caser's horizontal
 * filters, ConvMF's text CNN): im2col straight from the embedding table, so the convolution is
 * one matMul, and max-pooling over time in JS.
 */

/**
 * im2col rows of `height`-token filters over windows of `L` tokens (tokens [b, L], 0 = padding):
 * row (i, o) holds the embeddings of tokens o … o + height − 1 of window i side by side,
 * [b · (L − height + 1), height · d]. Copied row by row from `embedding` (padding rows read zero),
 * instead of the slices and concat of the shifted windows, which move data element by element.
 */
export function windowRows(tf: Tf, embedding: Tensor, tokens: Int32Array, b: number, L: number, height: number): Tensor2D {
  const offsets = L - height + 1;
  const d = embedding.shape[1]!;
  const unfolded = new Int32Array(b * offsets * height);
  for (let i = 0, k = 0; i < b; i++) for (let o = 0; o < offsets; o++) for (let j = 0; j < height; j++) unfolded[k++] = tokens[i * L + o + j];
  return tf.reshape(gatherRows(tf, embedding, unfolded, 0), [b * offsets, height * d]) as Tensor2D;
}

/**
 * max(0, max over t of x[i, t, f]) for x [b·T, F] viewed as [b, T, F] (max over time of the
 * ReLU). Forward and backward (to the arg-max) are JS kernels on tensor memory
 * (lib/training/js-kernel.ts): tf.max's gradient runs a broadcasting Equal that costs more than
 * the convolution itself on wasm. The zero-filled output is the ReLU's floor.
 */
export function reluMaxOverTime(tf: Tf, x: Tensor2D, b: number, T: number): Tensor2D {
  const F = x.shape[1];
  const arg = new Int32Array(b * F).fill(-1);
  const op = tf.customGrad((...args) => {
    const [input] = args as unknown as [Tensor2D];
    const [value] = jsKernel(tf, [input], [[b, F]], ([v], [out]) => {
      const native = nativeLinalg()?.addon.relu_max_over_time_f32;
      if (native) return native(v, b, T, F, out, arg); // the same values and arg-max
      for (let i = 0; i < b; i++) {
        for (let t = 0; t < T; t++) {
          const row = (i * T + t) * F;
          for (let f = 0; f < F; f++) {
            if (v[row + f] > out[i * F + f]) {
              out[i * F + f] = v[row + f];
              arg[i * F + f] = row + f;
            }
          }
        }
      }
    });
    return {
      value,
      gradFunc: (dy) =>
        jsKernel(tf, [dy as Tensor], [[b * T, F]], ([g], [dx]) => {
          for (let k = 0; k < b * F; k++) if (arg[k] >= 0) dx[arg[k]] = g[k];
        }),
    };
  });
  return op(x) as Tensor2D;
}
