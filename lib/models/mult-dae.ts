// Mult-DAE: Liang, Krishnan, Hoffman & Jebara, "Variational autoencoders for collaborative
// filtering", WWW 2018 (the paper's denoising counterpart of Mult-VAE). A user's click row,
// L2-normalised and corrupted by dropout, is encoded by a tanh layer and decoded into a softmax
// over items, trained with the multinomial log-likelihood.
import { LIANG_2018 } from "./deep/papers";
import { z } from "zod";
import type { Scalar, Tensor2D } from "@tensorflow/tfjs";
import { deepTrainingParams } from "../training/deep-training";
import { matMulFast, type Tf } from "../training/tf-backend";
import type { Rng } from "../util/rng";
import { batchNormParams } from "./deep/batch-norm";
import { weightAverageParams } from "./deep/weight-average";
import { AUTOENCODER_WIDTHS } from "./defaults/widths";
import { UserAutoencoder, type StepInfo, type UserBatch } from "./deep/autoencoder";
import { multinomialNll } from "./deep/autoencoder-losses";
import { scaleRows, sparseMatMul, type SparseRows } from "./deep/sparse-input";
import { glorotUniform, type Weights } from "./deep/weights";
import type { ModelDefinition } from "./types";
import { multDaeMemoryBytes } from "./memory";

export const multDaeParamsSchema = z.object({
  // Liang et al.'s Adam rate 1e-3: higher validation NDCG@10 than the 3e-3 first tuned on one
  // ml-100k split, on average over three split seeds of ml-100k and of ml-latest-small (5 of the 6
  // splits; docs/benchmarks/defaults.md). Batch, dropout and width as tuned on ml-100k.
  ...deepTrainingParams({ epochs: 200, batchSize: 100, learningRate: 1e-3, dropout: 0.5, optimizer: "adam" }),
  hidden: z.number().int().min(8).max(4096).default(AUTOENCODER_WIDTHS["mult-dae"]).describe("Width of the hidden tanh layer (the paper's Mult-DAE uses 200). Units."),
  ...batchNormParams("the hidden layer"),
  // Off by default: Mult-VAE's validation on ml-latest-small was lower with it; CDAE's and
  // Mult-DAE's higher (docs/benchmarks/deep-autoencoders-neumf.md, "Weight averaging").
  ...weightAverageParams(0),
});

export type MultDaeParams = z.infer<typeof multDaeParamsSchema>;

class MultDae extends UserAutoencoder<MultDaeParams> {
  protected initWeights(_tf: Tf, w: Weights, rng: Rng): void {
    const h = this.params.hidden, n = this.numItems;
    w.add("encW", [n, h], glorotUniform(rng, n, h));
    w.add("encB", [1, h], new Float32Array(h));
    this.addNorm(w, "enc", h);
    w.add("decW", [h, n], glorotUniform(rng, h, n));
    w.add("decB", [1, n], new Float32Array(n));
  }

  private logits(tf: Tf, w: Weights, input: SparseRows, training: boolean): Tensor2D {
    const h = tf.tanh(this.norm(tf, w, "enc", tf.add(sparseMatMul(tf, input, w.get("encW")), w.get("encB")), training)) as Tensor2D;
    return tf.add(matMulFast(tf, h, w.get("decW")), w.get("decB")) as Tensor2D;
  }

  protected batchLoss(tf: Tf, w: Weights, { rows }: UserBatch, info: StepInfo): Scalar {
    const input = scaleRows(rows, { normalize: true, dropout: this.params.dropout, seed: info.seed });
    return multinomialNll(tf, this.logits(tf, w, input, true), rows);
  }

  protected forward(tf: Tf, w: Weights, rows: SparseRows): Tensor2D {
    return this.logits(tf, w, scaleRows(rows, { normalize: true }), false);
  }
}

export const multDaeDefinition: ModelDefinition<typeof multDaeParamsSchema> = {
  id: "mult-dae",
  displayName: "Mult-DAE",
  summary: "Denoising autoencoder over each user's item set with a multinomial (softmax) likelihood.",
  paper: LIANG_2018,
  feedback: "implicit",
  input: "matrix",
  training: "epochs",
  engine: "tfjs",
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => multDaeMemoryBytes(params, numUsers, numItems, numInteractions),
  paramsSchema: multDaeParamsSchema,
  create: (params, numUsers, numItems) => new MultDae(params, numUsers, numItems, "Mult-DAE"),
};
