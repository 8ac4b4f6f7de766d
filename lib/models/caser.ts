// Caser: Jiaxi Tang & Ke Wang, "Personalized Top-N Sequential Recommendation via Convolutional
// Sequence Embedding", WSDM 2018. Horizontal (heights 1..L, max-pooled) and vertical convolutions
// over the L × d matrix of the most recent item embeddings, a dense layer, the user embedding
// concatenated, and next-item logits (here trained with full-softmax cross-entropy).
import type { Scalar, Tensor, Tensor1D, Tensor2D } from "@tensorflow/tfjs";
import { z } from "zod";
import { deepTrainingParams } from "../training/deep-training";
import { Rng } from "../util/rng";
import { buildUserSequences } from "./sequential/sequences";
import { reluMaxOverTime, windowRows } from "./sequential/conv-ops";
import { dense, dropout, fullSoftmaxCrossEntropy, gatherRows, glorot, loadedTf, loadTf, mm, WeightBag, type Tf } from "./sequential/tf-helpers";
import { SequenceRecommender } from "./sequential/sequence-recommender";
import { runEpochs } from "./sequential/train-loop";
import { notFitted } from "./shared/state";
import type { FitContext, ModelDefinition, ModelState, SaveOptions, TrainingData } from "./types";
import { caserMemoryBytes } from "./memory";
import { BatchNorm, batchNormParams } from "./deep/batch-norm";

export const caserParamsSchema = z.object({
  factors: z.number().int().min(2).max(512).default(50).describe("Item and user embedding size d (the paper used 50). Count."),
  window: z.number().int().min(1).max(20).default(5).describe("L: most recent items the convolutions read. Count."),
  horizontalFilters: z.number().int().min(1).max(256).default(16).describe("Horizontal filters per height 1..L. Count."),
  verticalFilters: z.number().int().min(1).max(64).default(4).describe("Vertical (L × 1) filters. Count."),
  ...deepTrainingParams({ epochs: 100, batchSize: 512, learningRate: 0.001, dropout: 0.5 }),
  ...batchNormParams("the fully connected layer over the convolution features"),
});

export type CaserParams = z.infer<typeof caserParamsSchema>;

class Caser extends SequenceRecommender {
  /** Moving statistics of the dense layer's batch norm (none declared when it is off). */
  private norms = new BatchNorm();

  constructor(
    private readonly params: CaserParams,
    numUsers: number,
    numItems: number,
  ) {
    super("caser", "Caser", numUsers, numItems);
  }

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { tf } = await loadTf();
    const p = this.params;
    const L = p.window;
    const seqs = (this.sequences = buildUserSequences(data.trainTable, this.numUsers));
    const optimizer = this.prepareFit(tf, ctx, p);
    // One example per training item that has a predecessor: (user, position of the target).
    const exUser: number[] = [], exPos: number[] = [];
    for (let u = 0; u < this.numUsers; u++) {
      for (let k = seqs.indptr[u] + 1; k < seqs.indptr[u + 1]; k++) {
        exUser.push(u);
        exPos.push(k);
      }
    }
    await runEpochs({
      tf,
      weights: this.weights!,
      params: p,
      optimizer,
      count: exPos.length,
      ctx,
      loss: (batch, rng) => {
        const b = batch.length;
        const tokens = new Int32Array(b * L);
        const users = new Int32Array(b);
        const targets = new Int32Array(b);
        for (let r = 0; r < b; r++) {
          const e = batch[r];
          const u = exUser[e], k = exPos[e];
          users[r] = u;
          targets[r] = seqs.items[k];
          const first = Math.max(seqs.indptr[u], k - L);
          for (let j = first; j < k; j++) tokens[r * L + L - (k - j)] = seqs.items[j] + 1;
        }
        const h = this.forward(tf, tokens, users, rng);
        return fullSoftmaxCrossEntropy(tf, h, this.outputItems(tf), targets) as Scalar;
      },
    });
  }

  score(users: Int32Array, out: Float32Array): void {
    if (!this.weights || !this.sequences) throw notFitted("Caser");
    const tf = loadedTf();
    const L = this.params.window, n = this.numItems;
    const chunk = 1024;
    for (let start = 0; start < users.length; start += chunk) {
      const b = Math.min(chunk, users.length - start);
      const tokens = new Int32Array(b * L);
      const batchUsers = users.slice(start, start + b);
      for (let r = 0; r < b; r++) this.fillWindow(users, start + r, L, tokens, r * L);
      const logits = tf.tidy(() => mm(tf, this.forward(tf, tokens, batchUsers, null), tf.transpose(this.outputItems(tf)) as Tensor2D));
      out.set(logits.dataSync() as Float32Array, start * n);
      logits.dispose();
    }
  }

  save(options?: SaveOptions): ModelState {
    const state = super.save(options);
    return { ...state, arrays: { ...state.arrays, ...this.norms.save() } };
  }

  load(state: ModelState): void {
    super.load(state);
    this.norms.load(state.arrays);
  }

  /**
   * The [b, 2d + 1] representation (conv features through the dense layer, user embedding, a
   * constant 1 for the item bias) of token windows [b, L]. Each horizontal height h is one
   * im2col matMul: row (i, o) holds the h embeddings from offset o of window i side by side,
   * copied straight from the embedding table; max over time and the ReLU are one JS op.
   */
  private forward(tf: Tf, tokens: Int32Array, users: Int32Array, rng: Rng | null): Tensor2D {
    const p = this.params;
    const w = this.weights!;
    const L = p.window, d = p.factors, b = users.length;
    const emb = w.get("itemEmb");
    const features: Tensor[] = [];
    for (let height = 1; height <= L; height++) {
      const offsets = L - height + 1;
      const rows = windowRows(tf, emb, tokens, b, L, height);
      const conv = tf.add(mm(tf, rows, w.get(`h${height}`) as Tensor2D), w.get(`hb${height}`)) as Tensor2D;
      features.push(reluMaxOverTime(tf, conv, b, offsets));
    }
    // Vertical filters: weighted sums over the L rows, per embedding column.
    const x = tf.reshape(gatherRows(tf, emb, tokens, 0), [b, L, d]);
    const columns = tf.reshape(tf.transpose(x, [0, 2, 1]), [b * d, L]) as Tensor2D;
    features.push(tf.reshape(mm(tf, columns, w.get("v") as Tensor2D), [b, d * p.verticalFilters]));
    const z = dropout(tf, tf.concat(features, 1), p.dropout, rng);
    let fc = dense(tf, z, w.get("fc") as Tensor2D, w.get("fcb") as Tensor1D);
    if (p.batchNorm) fc = this.norms.apply(tf, "fc", fc, (n) => w.get(n), rng !== null);
    const hidden = tf.relu(fc);
    const user = gatherRows(tf, w.get("userEmb"), users);
    return tf.concat([hidden, user, tf.ones([b, 1])], 1) as Tensor2D;
  }

  /** Output item vectors with their bias as the last column: [numItems, 2d + 1]. */
  private outputItems(tf: Tf): Tensor2D {
    const w = this.weights!;
    return tf.concat([w.get("outEmb"), tf.reshape(w.get("outBias"), [this.numItems, 1])], 1) as Tensor2D;
  }

  protected initWeights(tf: Tf, rng: Rng): void {
    this.weights?.dispose();
    const w = (this.weights = new WeightBag(tf));
    const { factors: d, window: L, horizontalFilters: nh, verticalFilters: nv } = this.params;
    w.add("itemEmb", [this.numItems + 1, d], { kind: "normal", std: 1 / d }, rng);
    w.add("userEmb", [this.numUsers, d], { kind: "normal", std: 1 / d }, rng);
    for (let height = 1; height <= L; height++) {
      w.add(`h${height}`, [height * d, nh], glorot(height * d, nh), rng);
      w.add(`hb${height}`, [nh], { kind: "zeros" }, rng);
    }
    w.add("v", [L, nv], glorot(L, nv), rng);
    const features = nh * L + nv * d;
    w.add("fc", [features, d], glorot(features, d), rng);
    w.add("fcb", [d], { kind: "zeros" }, rng);
    this.norms = new BatchNorm(this.params.batchNormMomentum);
    if (this.params.batchNorm) this.norms.addLayer("fc", d, (n, shape, values) => w.addValues(n, shape, values));
    w.add("outEmb", [this.numItems, 2 * d], { kind: "normal", std: 1 / (2 * d) }, rng);
    w.add("outBias", [this.numItems], { kind: "zeros" }, rng);
  }
}

export const caserDefinition: ModelDefinition<typeof caserParamsSchema> = {
  id: "caser",
  displayName: "Caser",
  summary: "Convolutions over the embeddings of a user's most recent items, plus the user's own embedding, predict the next item.",
  paper: {
    authors: "Jiaxi Tang, Ke Wang",
    title: "Personalized Top-N Sequential Recommendation via Convolutional Sequence Embedding",
    venue: "WSDM",
    year: 2018,
    url: "https://arxiv.org/abs/1809.07426",
  },
  feedback: "implicit",
  input: "sequences",
  training: "epochs",
  engine: "tfjs",
  paramsSchema: caserParamsSchema,
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => caserMemoryBytes(params, numUsers, numItems, numInteractions),
  create: (params, numUsers, numItems) => new Caser(params, numUsers, numItems),
};
