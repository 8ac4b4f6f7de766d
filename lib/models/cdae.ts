// CDAE: Wu, DuBois, Zheng & Ester, "Collaborative denoising auto-encoders for top-N recommender
// systems", WSDM 2016. A one-hidden-layer denoising autoencoder of a user's item set (dropout
// corruption) with an extra user-specific input node V_u, sigmoid outputs and a logistic loss
// over the user's positives and a sample of unobserved items. Unlike the paper, the input row is
// L2-normalised by default (`normalizeInput`): a heavy user's binary row otherwise drives the
// hidden layer into saturation (validation NDCG@10 rose on all six splits measured,
// docs/benchmarks/defaults.md).
import { z } from "zod";
import type { Scalar, Tensor, Tensor2D } from "@tensorflow/tfjs";
import { deepTrainingParams } from "../training/deep-training";
import { matMulFast, type Tf } from "../training/tf-backend";
import type { Rng } from "../util/rng";
import { batchNormParams } from "./deep/batch-norm";
import { weightAverageParams } from "./deep/weight-average";
import { AUTOENCODER_WIDTHS } from "./defaults/widths";
import { UserAutoencoder, type StepInfo, type UserBatch } from "./deep/autoencoder";
import { logisticLoss, logisticPerEntry } from "./deep/autoencoder-losses";
import { scaleRows, sparseMatMul, type SparseRows } from "./deep/sparse-input";
import { glorotUniform, normalValues, type Weights } from "./deep/weights";
import type { ModelDefinition } from "./types";
import { cdaeMemoryBytes } from "./memory";

export const cdaeParamsSchema = z.object({
  // Selected on ml-100k validation NDCG@10 (docs/benchmarks/deep-autoencoders-neumf.md).
  ...deepTrainingParams({ epochs: 200, batchSize: 100, learningRate: 3e-3, dropout: 0.5, optimizer: "adam" }),
  hidden: z.number().int().min(4).max(4096).default(AUTOENCODER_WIDTHS.cdae).describe("Hidden units K (the paper explores 50–200; 600, as Liang et al.'s autoencoders, peaked higher on validation over three splits of two MovieLens files). Units."),
  activation: z.enum(["sigmoid", "tanh", "relu", "identity"]).default("tanh").describe("Hidden-layer activation h(·) (the paper compares sigmoid, tanh, relu and identity)."),
  negativeRatio: z
    .number()
    .min(0)
    .max(100)
    .default(0)
    .describe("Unobserved items sampled per positive for the loss (the paper's negative sampling); 0 = every unobserved item. Count."),
  normalizeInput: z
    .boolean()
    .default(true)
    .describe(
      "L2-normalise each user's input row before the dropout corruption (as Mult-DAE and Mult-VAE do), so the hidden layer's input does not grow with the length of a user's history. Off = the paper's binary input.",
    ),
  userNode: z.boolean().default(true).describe("Add the user-specific input node V_u (what makes it CDAE rather than a plain DAE)."),
  ...batchNormParams("the hidden layer"),
  // Off by default: Mult-VAE's validation on ml-latest-small was lower with it; CDAE's and
  // Mult-DAE's higher (docs/benchmarks/deep-autoencoders-neumf.md, "Weight averaging").
  ...weightAverageParams(0),
});

export type CdaeParams = z.infer<typeof cdaeParamsSchema>;

class Cdae extends UserAutoencoder<CdaeParams> {
  protected initWeights(_tf: Tf, w: Weights, rng: Rng): void {
    const k = this.params.hidden, n = this.numItems;
    w.add("encW", [n, k], glorotUniform(rng, n, k));
    w.add("encB", [1, k], new Float32Array(k));
    w.add("userV", [this.numUsers, k], normalValues(rng, this.numUsers * k, 0.01));
    this.addNorm(w, "enc", k);
    w.add("decW", [k, n], glorotUniform(rng, k, n));
    w.add("decB", [1, n], new Float32Array(n));
  }

  private activate(tf: Tf, x: Tensor): Tensor {
    switch (this.params.activation) {
      case "sigmoid":
        return tf.sigmoid(x);
      case "tanh":
        return tf.tanh(x);
      case "relu":
        return tf.relu(x);
      case "identity":
        return x;
    }
  }

  private logits(tf: Tf, w: Weights, input: SparseRows, users: Int32Array, training: boolean): Tensor2D {
    let pre = tf.add(sparseMatMul(tf, input, w.get("encW")), w.get("encB"));
    if (this.params.userNode) pre = tf.add(pre, tf.gather(w.get("userV"), tf.tensor1d(users, "int32")));
    return tf.add(matMulFast(tf, this.activate(tf, this.norm(tf, w, "enc", pre, training)) as Tensor2D, w.get("decW")), w.get("decB")) as Tensor2D;
  }

  protected batchLoss(tf: Tf, w: Weights, { users, rows, dense }: UserBatch, info: StepInfo): Scalar {
    // Dropout corruption, rescaled by 1/(1−q) so the expected input is unchanged (as in the paper).
    const input = scaleRows(rows, { normalize: this.params.normalizeInput, dropout: this.params.dropout, seed: info.seed });
    const logits = this.logits(tf, w, input, users, true);
    // Logistic loss: softplus(−s) on positives, softplus(s) on (sampled) negatives.
    const ratio = this.params.negativeRatio;
    if (ratio === 0) return logisticLoss(tf, logits, rows);
    // Keep each unobserved item with probability ratio·|positives| / |unobserved| (per user).
    const x = dense();
    const positives = tf.sum(x, 1, true);
    const keep = tf.minimum(tf.div(tf.mul(positives, ratio), tf.maximum(tf.sub(this.numItems, positives), 1)), 1);
    const sampled = tf.cast(tf.less(tf.randomUniform(x.shape, 0, 1, "float32", info.seed + 1), keep), "float32");
    const weighted = tf.mul(logisticPerEntry(tf, logits, x), tf.add(x, tf.mul(tf.sub(1, x), sampled)));
    return tf.mean(tf.sum(weighted, 1)) as Scalar;
  }

  protected forward(tf: Tf, w: Weights, rows: SparseRows, users: Int32Array): Tensor2D {
    return this.logits(tf, w, this.params.normalizeInput ? scaleRows(rows, { normalize: true }) : rows, users, false);
  }
}

export const cdaeDefinition: ModelDefinition<typeof cdaeParamsSchema> = {
  id: "cdae",
  displayName: "CDAE",
  summary: "Denoising autoencoder of each user's item set with a per-user input node, trained with a logistic loss.",
  paper: {
    authors: "Yao Wu, Christopher DuBois, Alice X. Zheng, Martin Ester",
    title: "Collaborative Denoising Auto-Encoders for Top-N Recommender Systems",
    venue: "WSDM",
    year: 2016,
    url: "https://doi.org/10.1145/2835776.2835837",
  },
  feedback: "implicit",
  input: "matrix",
  training: "epochs",
  engine: "tfjs",
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => cdaeMemoryBytes(params, numUsers, numItems, numInteractions),
  paramsSchema: cdaeParamsSchema,
  create: (params, numUsers, numItems) => new Cdae(params, numUsers, numItems, "CDAE"),
};
