import type { GradSaveFunc, Scalar, Tensor, Tensor2D } from "@tensorflow/tfjs";
import { hasMemoryViews, viewOf } from "../../training/tensor-memory";
import type { Tf } from "../../training/tf-backend";
import { denseRows, type SparseRows } from "./sparse-input";

/**
 * The user autoencoders' reconstruction losses: a mean over the batch's users of a sum over all
 * items, against the users' rows x given sparse (their items). Written as tf ops (the reference,
 * and the path of backends whose tensor memory is unreachable) each was a dozen [users × items]
 * ops forward and as many backward; on wasm Softplus and Exp run at ~10–20 ns an element, the
 * first cost after the decoder's matMuls. Here the gradient with respect to the logits is one
 * tensor made by a single native op (softmax, sigmoid) and edited in place at the rows'
 * non-zeros, and the loss value reads the non-zeros (the logistic loss's softplus sum comes from
 * the sigmoid). Same values and gradients as the tf-ops forms (tests compare them).
 */

/** Mean over users of −Σ_i x_ui · log softmax(logits)_ui: the multinomial log-likelihood loss (Mult-VAE/DAE). */
export function multinomialNll(tf: Tf, logits: Tensor2D, x: SparseRows): Scalar {
  if (!hasMemoryViews(tf)) return multinomialNllOps(tf, logits, dense(tf, x, logits));
  const [b, n] = logits.shape;
  // The gradient, Σ_i x_ui · softmax_u − x_u per user (over b), written over the softmax.
  return fusedLoss(tf, logits, (l) => tf.softmax(l), (lv, gv) => {
    let loss = 0;
    for (let r = 0; r < b; r++) {
      const o = r * n;
      // log Σ exp from the softmax at the row's largest logit, where it is ≥ 1/n and never underflows.
      let top = o;
      for (let i = o + 1; i < o + n; i++) if (lv[i] > lv[top]) top = i;
      const logSumExp = lv[top] - Math.log(gv[top]);
      let mass = 0;
      for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) {
        loss += x.values[p] * (logSumExp - lv[o + x.indices[p]]);
        mass += x.values[p];
      }
      const scale = mass / b;
      for (let i = o; i < o + n; i++) gv[i] *= scale;
      for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) gv[o + x.indices[p]] -= x.values[p] / b;
    }
    return loss / b;
  });
}

/** Mean over users of Σ_i softplus(−s_ui)·x_ui + softplus(s_ui)·(1 − x_ui): the logistic loss (CDAE), as softplus(s) − x·s. */
export function logisticLoss(tf: Tf, logits: Tensor2D, x: SparseRows): Scalar {
  if (!hasMemoryViews(tf)) return tf.mean(tf.sum(logisticPerEntry(tf, logits, dense(tf, x, logits)), 1)) as Scalar;
  const [b, n] = logits.shape;
  // The gradient, (sigmoid(s) − x) / b, written over the sigmoid.
  return fusedLoss(tf, logits, (l) => tf.sigmoid(l), (lv, gv) => {
    // softplus(s) = relu(s) − log sigmoid(|s|), and sigmoid(|s|) = 0.5 + |sigmoid(s) − 0.5| lies in
    // [0.5, 1], where its log is accurate. Their logs are summed as the log of products of
    // LOG_CHUNK of them: a Math.log an entry cost about what wasm's Softplus pass did (~40 ms for
    // 100 × 17,000); with products this loss and its gradient take ~20 ms instead of ~50.
    let loss = 0;
    for (let start = 0; start < gv.length; start += LOG_CHUNK) {
      const end = Math.min(gv.length, start + LOG_CHUNK);
      let product = 1;
      for (let i = start; i < end; i++) {
        const s = lv[i], p = gv[i];
        loss += (s + Math.abs(s)) * 0.5;
        product *= 0.5 + Math.abs(p - 0.5);
        gv[i] = p / b;
      }
      loss -= Math.log(product);
    }
    for (let r = 0; r < b; r++) {
      const o = r * n;
      for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) {
        loss -= x.values[p] * lv[o + x.indices[p]];
        gv[o + x.indices[p]] -= x.values[p] / b;
      }
    }
    return loss / b;
  });
}

/**
 * A loss whose gradient with respect to the logits is `activate(logits)` edited in place:
 * `lossAndGradient` reads the logits' and the activation's memory, rewrites the activation into
 * the gradient and returns the loss value; backward scales that saved gradient by dy.
 */
function fusedLoss(tf: Tf, logits: Tensor2D, activate: (l: Tensor2D) => Tensor, lossAndGradient: (lv: Float32Array, gv: Float32Array) => number): Scalar {
  const op = tf.customGrad((...args) => {
    const [l, save] = args as unknown as [Tensor2D, GradSaveFunc];
    const g = activate(l);
    const loss = lossAndGradient(viewOf(tf, l), viewOf(tf, g, true));
    save([g]);
    return { value: tf.scalar(loss), gradFunc: (dy, saved) => tf.mul(saved[0], dy as Tensor) };
  });
  return op(logits) as Scalar;
}

/** The tf-ops multinomial loss over dense rows `x` (the reference; other backends). */
export function multinomialNllOps(tf: Tf, logits: Tensor2D, x: Tensor2D): Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), x), 1))) as Scalar;
}

/** Each entry's logistic loss over dense rows `x`: softplus(−s) on positives, softplus(s) elsewhere. */
export function logisticPerEntry(tf: Tf, logits: Tensor2D, x: Tensor2D): Tensor2D {
  return tf.add(tf.mul(x, tf.softplus(tf.neg(logits))), tf.mul(tf.sub(1, x), tf.softplus(logits))) as Tensor2D;
}

/** Entries per product of sigmoids in logisticLoss: 0.5^512 ≈ 7e-155, far from a double's underflow. */
const LOG_CHUNK = 512;

const dense = (tf: Tf, x: SparseRows, like: Tensor2D) => tf.tensor2d(denseRows(x, like.shape[1]), like.shape);
