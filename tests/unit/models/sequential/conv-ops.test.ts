import type { Tensor, Tensor2D, Tensor3D } from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { reluMaxOverTime, windowRows } from "@/lib/models/sequential/conv-ops";
import type { Tf } from "@/lib/models/sequential/tf-helpers";
import { loadTensorflow } from "@/lib/training/tf-backend";
import { Rng } from "@/lib/util/rng";

// A 1-D convolution over token windows (im2col from the embedding table, matMul, ReLU, max over
// time) against the same convolution in plain tf ops — gather, shifted slices concatenated,
// relu, max — differentiated by tfjs's autodiff, on random weights with padding tokens.

let tf: Tf;
beforeAll(async () => {
  tf = (await loadTensorflow()).tf;
});

const b = 3, L = 6, d = 4, vocab = 7, filters = 5;
const rng = new Rng(3);
const random = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
// Token 0 is padding (left-padded windows, and one gap), as in ConvMF's documents and Caser's windows.
// No token repeats within a window: on an exact tie tf.max gives every tied position the whole
// gradient, the arg-max one position (as PyTorch's max-pool does).
const tokens = Int32Array.from([0, 0, 3, 1, 6, 2, 4, 3, 5, 0, 1, 2, 0, 0, 0, 0, 0, 6]);

function reference(embedding: Tensor2D, kernel: Tensor2D, height: number): Tensor2D {
  const mask = tf.tensor3d(Float32Array.from(tokens, (t) => (t > 0 ? 1 : 0)), [b, L, 1]);
  const x = tf.mul(tf.gather(embedding, tf.tensor2d(tokens, [b, L], "int32")), mask) as Tensor3D;
  const positions = L - height + 1;
  const shifted = Array.from({ length: height }, (_, o) => tf.slice(x, [0, o, 0], [b, positions, d]));
  const cols = tf.reshape(height === 1 ? shifted[0] : tf.concat(shifted, 2), [b * positions, height * d]) as Tensor2D;
  return tf.max(tf.reshape(tf.relu(tf.matMul(cols, kernel)), [b, positions, filters]), 1) as Tensor2D;
}

const fused = (embedding: Tensor2D, kernel: Tensor2D, height: number) =>
  reluMaxOverTime(tf, tf.matMul(windowRows(tf, embedding, tokens, b, L, height), kernel), b, L - height + 1);

describe("convolution over token windows (conv-ops) matches tf autodiff", () => {
  for (const height of [1, 2, 3]) {
    it(`height ${height}: pooled features and the gradients of the embeddings and the filters`, () => {
      const embedding = tf.tensor2d(random(vocab * d), [vocab, d]);
      const kernel = tf.tensor2d(random(height * d * filters), [height * d, filters]);
      const weights = tf.tensor2d(random(b * filters), [b, filters]);
      const run = (f: typeof fused) =>
        tf.tidy(() => {
          const g = tf.grads((e: Tensor, k: Tensor) => tf.sum(tf.mul(f(e as Tensor2D, k as Tensor2D, height), weights)));
          return { value: Array.from(f(embedding, kernel, height).dataSync()), grads: g([embedding, kernel]).map((t) => Array.from(t.dataSync())) };
        });
      const ours = run(fused), theirs = run(reference);
      expect(ours.value.some((v) => v > 0)).toBe(true);
      for (const [a, e] of [[ours.value, theirs.value], ...ours.grads.map((g, i) => [g, theirs.grads[i]])]) {
        expect(a).toHaveLength(e.length);
        a.forEach((v, i) => expect(v).toBeCloseTo(e[i], 5));
      }
      // The padding row gets no gradient.
      expect(ours.grads[0].slice(0, d).every((v) => v === 0)).toBe(true);
    });
  }
});
