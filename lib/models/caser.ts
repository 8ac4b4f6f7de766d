// Caser: Jiaxi Tang & Ke Wang, "Personalized Top-N Sequential Recommendation via Convolutional
// Sequence Embedding", WSDM 2018. Horizontal (heights 1..L, max-pooled) and vertical convolutions
// over the L × d matrix of the most recent item embeddings, a dense layer, the user embedding
// concatenated, and next-item logits (here trained with full-softmax cross-entropy).
import type { Scalar, Tensor, Tensor1D, Tensor2D } from "@tensorflow/tfjs";
import { z } from "zod";
import { deepTrainingParams } from "../training/deep-training";
import { Rng } from "../util/rng";
import { appendRows, buildUserSequences, fillRecentWindow, type UserSequences } from "./sequential/sequences";
import { dense, dropout, fullSoftmaxCrossEntropy, glorot, loadedTf, loadTf, mm, WeightBag, type Tf } from "./sequential/tf-helpers";
import { runEpochs } from "./sequential/train-loop";
import { notFitted, readInt32 } from "./shared/state";
import type { InteractionTable } from "../datasets/types";
import type { FitContext, ModelDefinition, ModelState, Recommender, TrainingData } from "./types";

export const caserParamsSchema = z.object({
  factors: z.number().int().min(2).max(512).default(64).describe("Item and user embedding size d. Count."),
  window: z.number().int().min(1).max(20).default(5).describe("L: most recent items the convolutions read. Count."),
  horizontalFilters: z.number().int().min(1).max(256).default(16).describe("Horizontal filters per height 1..L. Count."),
  verticalFilters: z.number().int().min(1).max(64).default(4).describe("Vertical (L × 1) filters. Count."),
  ...deepTrainingParams({ epochs: 100, batchSize: 512, learningRate: 0.001, dropout: 0.5 }),
});

export type CaserParams = z.infer<typeof caserParamsSchema>;

class Caser implements Recommender {
  private weights: WeightBag | null = null;
  private sequences: UserSequences | null = null;

  constructor(
    private readonly params: CaserParams,
    private readonly numUsers: number,
    private readonly numItems: number,
  ) {}

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { tf } = await loadTf();
    const p = this.params;
    const L = p.window;
    const seqs = (this.sequences = buildUserSequences(data.trainTable, this.numUsers));
    this.initWeights(tf, new Rng(ctx.seed));
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
        return fullSoftmaxCrossEntropy(tf, h, this.outputItems(tf), tf.tensor1d(targets, "int32")) as Scalar;
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
      for (let r = 0; r < b; r++) fillRecentWindow(this.sequences, batchUsers[r], L, tokens, r * L);
      const logits = tf.tidy(() => mm(tf, this.forward(tf, tokens, batchUsers, null), tf.transpose(this.outputItems(tf)) as Tensor2D));
      out.set(logits.dataSync() as Float32Array, start * n);
      logits.dispose();
    }
  }

  save(): ModelState {
    if (!this.weights || !this.sequences) throw notFitted("Caser");
    const s = this.sequences;
    return { json: { model: "caser" }, arrays: { ...this.weights.save(), seqIndptr: s.indptr, seqItems: s.items } };
  }

  load(state: ModelState): void {
    const tf = loadedTf();
    if (!this.weights) this.initWeights(tf, new Rng(0));
    this.weights!.load(state);
    const indptr = readInt32(state, "seqIndptr", this.numUsers + 1);
    const items = readInt32(state, "seqItems");
    this.sequences = { numUsers: this.numUsers, indptr, items, times: new Float64Array(items.length) };
  }

  observe(rows: InteractionTable): void {
    if (!this.sequences) throw notFitted("Caser");
    this.sequences = appendRows(this.sequences, rows);
  }

  /**
   * The [b, 2d + 1] representation (conv features through the dense layer, user embedding, a
   * constant 1 for the item bias) of token windows [b, L]. All horizontal convolutions are one
   * im2col matMul: row (i, o) holds the embeddings from offset o to the end of window i,
   * zero-padded to L rows, and the weight stacks every height's filters (zero rows below each
   * height's h·d), so column block h of row (i, o) is the height-h convolution at offset o.
   * Offsets where a height does not fit read padding and are zeroed after the ReLU, which leaves
   * the max over time unchanged (ReLU outputs are ≥ 0).
   */
  private forward(tf: Tf, tokens: Int32Array, users: Int32Array, rng: Rng | null): Tensor2D {
    const p = this.params;
    const w = this.weights!;
    const L = p.window, d = p.factors, nh = p.horizontalFilters, b = users.length;
    const unfolded = new Int32Array(b * L * L);
    for (let i = 0; i < b; i++) {
      for (let o = 0; o < L; o++) for (let k = 0; o + k < L; k++) unfolded[(i * L + o) * L + k] = tokens[i * L + o + k];
    }
    const present = tf.expandDims(tf.cast(tf.notEqual(tf.tensor1d(unfolded, "int32"), 0), "float32"), 1);
    const rows = tf.reshape(tf.mul(tf.gather(w.get("itemEmb"), tf.tensor1d(unfolded, "int32")), present), [b * L, L * d]) as Tensor2D; // padding rows are zero
    const conv = tf.reshape(tf.relu(tf.add(mm(tf, rows, this.horizontalWeights(tf)), w.get("hb"))), [b, L, L, nh]);
    const horizontal = tf.reshape(tf.max(tf.mul(conv, this.fitsMask(tf)), 1), [b, L * nh]);
    // Vertical filters: weighted sums over the L rows, per embedding column.
    const x = tf.reshape(tf.slice(rows, [0, 0], [b * L, d]), [b, L, d]);
    const columns = tf.reshape(tf.transpose(x, [0, 2, 1]), [b * d, L]) as Tensor2D;
    const vertical = tf.reshape(mm(tf, columns, w.get("v") as Tensor2D), [b, d * p.verticalFilters]);
    const z = dropout(tf, tf.concat([horizontal, vertical], 1), p.dropout, rng);
    const hidden = tf.relu(dense(tf, z, w.get("fc") as Tensor2D, w.get("fcb") as Tensor1D));
    const user = tf.gather(w.get("userEmb"), tf.tensor1d(users, "int32"));
    return tf.concat([hidden, user, tf.ones([b, 1])], 1) as Tensor2D;
  }

  /** Every height's filters stacked: [L·d, L·nh], height h's block zero below its h·d rows. */
  private horizontalWeights(tf: Tf): Tensor2D {
    const { window: L, factors: d } = this.params;
    const blocks: Tensor[] = [];
    for (let height = 1; height <= L; height++) blocks.push(tf.pad(this.weights!.get(`h${height}`), [[0, (L - height) * d], [0, 0]]));
    return tf.concat(blocks, 1) as Tensor2D;
  }

  /** [L, L, 1] constant: 1 where a filter of height h + 1 fits at offset o (o + h < L). */
  private fitsMask(tf: Tf): Tensor {
    const L = this.params.window;
    const m = new Float32Array(L * L);
    for (let o = 0; o < L; o++) for (let h = 0; o + h < L; h++) m[o * L + h] = 1;
    return tf.reshape(tf.tensor1d(m), [L, L, 1]);
  }

  /** Output item vectors with their bias as the last column: [numItems, 2d + 1]. */
  private outputItems(tf: Tf): Tensor2D {
    const w = this.weights!;
    return tf.concat([w.get("outEmb"), tf.reshape(w.get("outBias"), [this.numItems, 1])], 1) as Tensor2D;
  }

  private initWeights(tf: Tf, rng: Rng): void {
    this.weights?.dispose();
    const w = (this.weights = new WeightBag(tf));
    const { factors: d, window: L, horizontalFilters: nh, verticalFilters: nv } = this.params;
    w.add("itemEmb", [this.numItems + 1, d], { kind: "normal", std: 1 / d }, rng);
    w.add("userEmb", [this.numUsers, d], { kind: "normal", std: 1 / d }, rng);
    for (let height = 1; height <= L; height++) w.add(`h${height}`, [height * d, nh], glorot(height * d, nh), rng);
    w.add("hb", [L * nh], { kind: "zeros" }, rng);
    w.add("v", [L, nv], glorot(L, nv), rng);
    const features = nh * L + nv * d;
    w.add("fc", [features, d], glorot(features, d), rng);
    w.add("fcb", [d], { kind: "zeros" }, rng);
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
  create: (params, numUsers, numItems) => new Caser(params, numUsers, numItems),
};
