import { describe, expect, it } from "vitest";
import type { Scalar, Tensor2D } from "@tensorflow/tfjs";
import { logisticLoss, logisticPerEntry, multinomialNll, multinomialNllOps } from "@/lib/models/deep/autoencoder-losses";
import { denseRows, historyRows } from "@/lib/models/deep/sparse-input";
import { loadTensorflow } from "@/lib/training/tf-backend";
import { Rng } from "@/lib/util/rng";

const { tf, backend } = await loadTensorflow();

// 5 users over 3,000 items (user 2 has none); logits spread wide enough that softmax and softplus
// see saturated entries too.
const B = 5, I = 3000;
const ROWS = historyRows({ indptr: Int32Array.from([0, 3, 9, 9, 10, 40]), indices: Int32Array.from([...[5, 17, 299], ...[0, 1, 2, 3, 150, 151], 77, ...Array.from({ length: 30 }, (_, k) => 9 * k + 4)]) }, [0, 1, 2, 3, 4]);
const LOGITS = (() => {
  const rng = new Rng(8);
  return Float32Array.from({ length: B * I }, () => rng.normal() * 6);
})();

function lossAndGrad(loss: (l: Tensor2D) => Scalar) {
  const l = tf.tidy(() => tf.variable(tf.tensor2d(LOGITS, [B, I])));
  const { value, grads } = tf.variableGrads(() => loss(l), [l]);
  const out = { value: value.dataSync()[0], grad: grads[l.name].dataSync() as Float32Array };
  tf.dispose([l, value, ...Object.values(grads)]);
  return out;
}

/** The largest difference relative to the largest entry of `b` (float32 sums over a row). */
function maxScaledDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return worst / scale;
}

describe.runIf(backend === "wasm" || backend === "cpu")("the autoencoders' fused losses", () => {
  const dense = () => tf.tensor2d(denseRows(ROWS, I), [B, I]);

  it.each([
    ["multinomial NLL (Mult-VAE/DAE)", (l: Tensor2D) => multinomialNll(tf, l, ROWS), (l: Tensor2D) => multinomialNllOps(tf, l, dense())],
    ["logistic loss (CDAE)", (l: Tensor2D) => logisticLoss(tf, l, ROWS), (l: Tensor2D) => tf.mean(tf.sum(logisticPerEntry(tf, l, dense()), 1)) as Scalar],
  ])("%s: the tf-ops loss and gradient with respect to the logits", (_label, fused, ops) => {
    const got = lossAndGrad(fused), want = lossAndGrad(ops);
    expect(Math.abs(got.value - want.value) / Math.abs(want.value)).toBeLessThan(1e-5);
    expect(maxScaledDiff(got.grad, want.grad)).toBeLessThan(1e-5);
  });

  it("leaves no tensors behind", () => {
    const before = tf.memory().numTensors;
    lossAndGrad((l) => multinomialNll(tf, l, ROWS));
    lossAndGrad((l) => logisticLoss(tf, l, ROWS));
    expect(tf.memory().numTensors).toBe(before);
  });
});
