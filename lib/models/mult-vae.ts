// Mult-VAE: Liang, Krishnan, Hoffman & Jebara, "Variational autoencoders for collaborative
// filtering", WWW 2018. A user's click row (L2-normalised, input dropout) is encoded to a
// Gaussian latent z; the decoder's softmax over items is trained with the multinomial
// log-likelihood plus a KL term whose weight β is annealed linearly from 0 up to a cap.
// The paper explores 0, 1 and 2 hidden layers and reports 0 or 1 as best; the default here is
// 0 ([I → 200 → I]: linear encoder to μ, log σ², linear decoder), which on ml-100k (943 users)
// wins clearly on validation NDCG@10 (.269 vs .244 for the 1-layer [I → 600 → 200 → 600 → I],
// `hidden: 600`; docs/benchmarks/deep-autoencoders-neumf.md).
import { LIANG_2018 } from "./deep/papers";
import { badInput } from "../errors";
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
import { multVaeMemoryBytes } from "./memory";

export const multVaeParamsSchema = z.object({
  ...deepTrainingParams({ epochs: 200, batchSize: 100, learningRate: 1e-3, dropout: 0.5, optimizer: "adam" }),
  hidden: z
    .number()
    .int()
    .min(0)
    .max(4096)
    .default(0)
    .describe("Width of the encoder's and decoder's hidden tanh layer (the paper's 600 on ML-20M); 0 = no hidden layer ([I→latent→I], linear encoder and decoder; the default, chosen on ml-100k validation). Units."),
  latent: z.number().int().min(2).max(1024).default(AUTOENCODER_WIDTHS["mult-vae"]).describe("Dimensions of the latent Gaussian z (the paper's 200). Count."),
  annealCap: z.number().min(0).max(1).default(0.2).describe("Largest KL weight β reached by the linear annealing (the paper's β = 0.2). Factor."),
  annealSteps: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Gradient steps over which β rises linearly from 0 to the cap; 0 = over the whole run (epochs × batches). Count."),
  ...batchNormParams("the encoder's and decoder's hidden layers (needs hidden > 0)"),
  // Off by default: Mult-VAE's validation on ml-latest-small was lower with it; CDAE's and
  // Mult-DAE's higher (docs/benchmarks/deep-autoencoders-neumf.md, "Weight averaging").
  ...weightAverageParams(0),
});

export type MultVaeParams = z.infer<typeof multVaeParamsSchema>;

class MultVae extends UserAutoencoder<MultVaeParams> {
  protected initWeights(_tf: Tf, w: Weights, rng: Rng): void {
    const { hidden: h, latent: k } = this.params;
    const n = this.numItems;
    if (h === 0) {
      w.add("encW", [n, 2 * k], glorotUniform(rng, n, 2 * k));
      w.add("encB", [1, 2 * k], new Float32Array(2 * k));
      w.add("decW", [k, n], glorotUniform(rng, k, n));
      w.add("decB", [1, n], new Float32Array(n));
      return;
    }
    w.add("encW1", [n, h], glorotUniform(rng, n, h));
    w.add("encB1", [1, h], new Float32Array(h));
    this.addNorm(w, "enc", h);
    w.add("encW2", [h, 2 * k], glorotUniform(rng, h, 2 * k));
    w.add("encB2", [1, 2 * k], new Float32Array(2 * k));
    w.add("decW1", [k, h], glorotUniform(rng, k, h));
    w.add("decB1", [1, h], new Float32Array(h));
    this.addNorm(w, "dec", h);
    w.add("decW2", [h, n], glorotUniform(rng, h, n));
    w.add("decB2", [1, n], new Float32Array(n));
  }

  private encode(tf: Tf, w: Weights, input: SparseRows, training: boolean) {
    const k = this.params.latent;
    let stats: Tensor2D;
    if (this.params.hidden === 0) {
      stats = tf.add(sparseMatMul(tf, input, w.get("encW")), w.get("encB")) as Tensor2D;
    } else {
      const h = tf.tanh(this.norm(tf, w, "enc", tf.add(sparseMatMul(tf, input, w.get("encW1")), w.get("encB1")), training)) as Tensor2D;
      stats = tf.add(matMulFast(tf, h, w.get("encW2")), w.get("encB2")) as Tensor2D;
    }
    const mu = tf.slice(stats, [0, 0], [-1, k]) as Tensor2D;
    const logVar = tf.slice(stats, [0, k], [-1, k]) as Tensor2D;
    return { mu, logVar };
  }

  private decode(tf: Tf, w: Weights, z: Tensor2D, training: boolean): Tensor2D {
    if (this.params.hidden === 0) return tf.add(matMulFast(tf, z, w.get("decW")), w.get("decB")) as Tensor2D;
    const h = tf.tanh(this.norm(tf, w, "dec", tf.add(matMulFast(tf, z, w.get("decW1")), w.get("decB1")), training));
    return tf.add(matMulFast(tf, h, w.get("decW2")), w.get("decB2")) as Tensor2D;
  }

  protected batchLoss(tf: Tf, w: Weights, { rows }: UserBatch, info: StepInfo): Scalar {
    const p = this.params;
    const input = scaleRows(rows, { normalize: true, dropout: p.dropout, seed: info.seed });
    const { mu, logVar } = this.encode(tf, w, input, true);
    const eps = tf.randomNormal(mu.shape, 0, 1, "float32", info.seed + 1);
    const z = tf.add(mu, tf.mul(eps, tf.exp(tf.mul(logVar, 0.5)))) as Tensor2D;
    const nll = multinomialNll(tf, this.decode(tf, w, z, true), rows);
    // KL(q(z|x) ‖ N(0, I)) per user, averaged over the batch.
    const kl = tf.mean(tf.sum(tf.mul(tf.sub(tf.add(tf.exp(logVar), tf.square(mu)), tf.add(logVar, 1)), 0.5), 1));
    const annealSteps = p.annealSteps > 0 ? p.annealSteps : info.totalSteps;
    const beta = Math.min(p.annealCap, (p.annealCap * info.step) / Math.max(1, annealSteps));
    return tf.add(nll, tf.mul(kl, beta)) as Scalar;
  }

  protected forward(tf: Tf, w: Weights, rows: SparseRows): Tensor2D {
    // At scoring time z is the posterior mean, without noise or dropout.
    return this.decode(tf, w, this.encode(tf, w, scaleRows(rows, { normalize: true }), false).mu, false);
  }
}

export const multVaeDefinition: ModelDefinition<typeof multVaeParamsSchema> = {
  id: "mult-vae",
  displayName: "Mult-VAE",
  summary: "Variational autoencoder over each user's item set with a multinomial likelihood and an annealed KL term.",
  paper: LIANG_2018,
  feedback: "implicit",
  input: "matrix",
  training: "epochs",
  engine: "tfjs",
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => multVaeMemoryBytes(params, numUsers, numItems, numInteractions),
  paramsSchema: multVaeParamsSchema,
  create: (params, numUsers, numItems) => {
    if (params.batchNorm && params.hidden === 0) throw badInput("Mult-VAE: batch normalisation acts on the hidden layers; set hidden > 0 (with hidden 0 there are none)", { field: "params.hidden" });
    return new MultVae(params, numUsers, numItems, "Mult-VAE");
  },
};
