// ConvMF: Kim, Park, Oh, Lee & Yu, "Convolutional matrix factorization for document context-aware
// recommendation", RecSys 2016. A text CNN (word embeddings, 1-D convolutions of several window
// sizes, max-pooling over time, dense projection) maps each item's document to a latent vector
// θ_j that regularises the item factors (λ_v‖v_j − θ_j‖²) of an implicit-feedback MF fitted by
// ALS; items without training interactions are scored with θ_j itself (item cold start).
import type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from "@tensorflow/tfjs";
import { z } from "zod";
import { transposeCsr } from "../datasets/csr";
import type { ItemAttributes } from "../datasets/types";
import { deepTrainingParams, learningRateAt } from "../training/deep-training";
import { createOptimizer } from "../training/optimizers";
import { epochRng, opSeed } from "../training/seeding";
import { loadTensorflow, matMulFast, requireTensorflow, type Tf } from "../training/tf-backend";
import { Rng } from "../util/rng";
import { solveImplicitRows } from "./als";
import { BatchNorm, batchNormParams } from "./deep/batch-norm";
import { convMfMemoryBytes } from "./memory";
import { reluMaxOverTime, windowRows } from "./sequential/conv-ops";
import { dropout } from "./sequential/tf-helpers";
import { randomFactors, scoreAllItems } from "./shared/factors";
import { notFitted, readFloat32 } from "./shared/state";
import type { FitContext, ModelDefinition, ModelState, Recommender, TrainingData } from "./types";

export const convMfParamsSchema = z.object({
  factors: z.number().int().min(1).max(512).default(32).describe("Latent dimensions of users, items and the CNN's output. Count."),
  alpha: z.number().min(0).default(3).describe("Confidence slope of the MF part: an observed pair weighs 1 + α, unobserved pairs 1."),
  userRegularization: z.number().min(0).default(10).describe("λ_u: L2 penalty on user factors."),
  itemRegularization: z
    .number()
    .min(0)
    .default(30)
    .describe("λ_v: pulls each item's factors towards the CNN's output for its document (λ_v‖v_j − θ_j‖²). Larger = more content, less collaborative."),
  cgSteps: z.number().int().min(1).max(64).default(3).describe("Conjugate-gradient steps per factor row and ALS sweep. Count."),
  embeddingDim: z.number().int().min(2).max(300).default(32).describe("Word-embedding size of the text CNN. Count."),
  filters: z.number().int().min(1).max(512).default(32).describe("Convolution filters per window size. Count."),
  maxWindow: z.number().int().min(1).max(5).default(3).describe("Convolution window sizes 1..maxWindow (words). Count."),
  maxTokens: z.number().int().min(4).max(512).default(32).describe("Document length in tokens (genres first, then title, then text); longer documents are cut. Count."),
  vocabularySize: z.number().int().min(10).max(100_000).default(8000).describe("Most frequent tokens kept (a token must occur in at least 2 items). Count."),
  cnnEpochsPerRound: z.number().int().min(1).max(100).default(5).describe("Passes of CNN training over the items' factors after each ALS sweep. Count."),
  ...deepTrainingParams({ epochs: 10, batchSize: 128, learningRate: 0.003, dropout: 0.2 }),
  ...batchNormParams("every convolution's filters (over items and positions)"),
});

export type ConvMfParams = z.infer<typeof convMfParamsSchema>;

/** Tokens of every item's document as vocabulary ids (0 = padding), items × maxTokens. */
export interface EncodedDocuments {
  tokens: Int32Array;
  /** 1 where a token is present. */
  mask: Float32Array;
  vocabulary: number;
  /** The token of each vocabulary id ("" for padding, id 0). */
  words: string[];
}

const tokenize = (s: string | null | undefined): string[] => (s ? s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean) : []);

/** Genre/category tokens (prefixed "g:"), then title words, then text words, per item. */
export function encodeDocuments(items: ItemAttributes | undefined, numItems: number, maxTokens: number, vocabularySize: number): EncodedDocuments {
  const docs: string[][] = [];
  for (let j = 0; j < numItems; j++) {
    const genres = (items?.genres?.[j] ?? []).map((g) => `g:${g.toLowerCase()}`);
    docs.push([...genres, ...tokenize(items?.title?.[j]), ...tokenize(items?.text?.[j])].slice(0, maxTokens));
  }
  const itemCount = new Map<string, number>();
  for (const doc of docs) for (const t of new Set(doc)) itemCount.set(t, (itemCount.get(t) ?? 0) + 1);
  const kept = [...itemCount.entries()]
    .filter(([, c]) => c >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, vocabularySize);
  const id = new Map(kept.map(([t], k) => [t, k + 1]));
  const tokens = new Int32Array(numItems * maxTokens);
  const mask = new Float32Array(numItems * maxTokens);
  docs.forEach((doc, j) => {
    let at = 0;
    for (const t of doc) {
      const k = id.get(t);
      if (k === undefined) continue;
      tokens[j * maxTokens + at] = k;
      mask[j * maxTokens + at] = 1;
      at++;
    }
  });
  return { tokens, mask, vocabulary: kept.length + 1, words: ["", ...kept.map(([t]) => t)] };
}

class ConvMf implements Recommender {
  private userFactors: Float32Array | null = null;
  private itemFactors: Float32Array | null = null;
  /** CNN weights between fits (plain arrays: scoring never needs TensorFlow.js). */
  private cnn: Record<string, Float32Array> | null = null;
  /** Moving statistics of the convolutions' batch norm (none declared when it is off). */
  private norms = new BatchNorm();

  constructor(
    private readonly params: ConvMfParams,
    private readonly numUsers: number,
    private readonly numItems: number,
  ) {}

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { tf } = await loadTensorflow();
    const p = this.params;
    const k = p.factors;
    const docs = encodeDocuments(data.items, this.numItems, p.maxTokens, p.vocabularySize);
    const startEpoch = ctx.startEpoch ?? 1;
    const init = new Rng(ctx.seed);
    if (startEpoch <= 1 || !this.userFactors || !this.itemFactors || !this.cnn) {
      this.userFactors = randomFactors(this.numUsers, k, 0.01, init);
      this.itemFactors = randomFactors(this.numItems, k, 0.01, init);
      this.cnn = initialCnn(p, docs.vocabulary, init);
      this.norms = cnnNorms(p, this.cnn);
    }
    const { userFactors: users, itemFactors: items } = this;
    const byUser = data.train;
    const byItem = transposeCsr(byUser);
    const warm: number[] = [];
    const cold: number[] = [];
    for (let j = 0; j < this.numItems; j++) (byItem.indptr[j + 1] > byItem.indptr[j] ? warm : cold).push(j);

    const vars: Record<string, Variable> = {};
    for (const [name, values] of Object.entries(this.cnn)) vars[name] = tf.variable(tf.tensor(values, cnnShape(p, docs.vocabulary, name)), true);
    const byVarName = new Map(Object.entries(vars).map(([name, v]) => [v.name, name]));
    const optimizer = createOptimizer(tf, { name: p.optimizer, momentum: p.momentum, weightDecay: p.weightDecay }, vars);
    try {
      for (let epoch = startEpoch; epoch <= p.epochs; epoch++) {
        const rng = epochRng(ctx.seed, epoch);
        const theta = this.predictAll(tf, vars, docs.tokens);
        solveImplicitRows(users, items, byUser, { dim: k, regularization: p.userRegularization, alpha: p.alpha, cgSteps: p.cgSteps });
        if (ctx.interrupted && (await ctx.interrupted())) return;
        solveImplicitRows(items, users, byItem, { dim: k, regularization: p.itemRegularization, alpha: p.alpha, cgSteps: p.cgSteps, prior: theta });

        // Fit the CNN to the warm items' factors: minimise ‖v_j − cnn(doc_j)‖² (mean over items).
        const lr = learningRateAt(p, epoch);
        let lossSum = 0, lossCount = 0;
        for (let pass = 0; pass < p.cnnEpochsPerRound; pass++) {
          const order = rng.shuffle(Int32Array.from(warm));
          for (let s = 0; s < order.length; s += p.batchSize) {
            const batch = order.subarray(s, Math.min(order.length, s + p.batchSize));
            const dropRng = new Rng(opSeed(rng));
            const batchTokens = rowsOf(docs.tokens, batch, p.maxTokens);
            const loss = tf.tidy(() => {
              const target = tf.tensor2d(rowsOf(items, batch, k), [batch.length, k]);
              const { value, grads } = tf.variableGrads(() => {
                const out = this.forward(tf, vars, batchTokens, batch.length, dropRng);
                return tf.mean(tf.sum(tf.square(tf.sub(out, target)), 1)) as Scalar;
              }, Object.values(vars));
              const named: Record<string, Tensor> = {};
              for (const [key, g] of Object.entries(grads)) named[byVarName.get(key) ?? key] = g;
              optimizer.step(named, lr);
              return value.dataSync()[0];
            });
            lossSum += loss * batch.length;
            lossCount += batch.length;
            if (ctx.interrupted && (await ctx.interrupted())) return;
          }
        }
        // Items nobody has interacted with in training take the CNN's vector itself.
        const fresh = this.predictAll(tf, vars, docs.tokens);
        for (const j of cold) items.set(fresh.subarray(j * k, (j + 1) * k), j * k);
        this.cnn = Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, Float32Array.from(v.dataSync() as Float32Array)]));
        const decision = await ctx.onEpoch?.({ epoch, totalEpochs: p.epochs, loss: lossCount > 0 ? lossSum / lossCount : 0 });
        if (decision?.stop) break;
      }
    } finally {
      optimizer.dispose();
      tf.dispose(Object.values(vars));
    }
  }

  /** θ for every item (inference: no dropout), items × factors. */
  private predictAll(tf: Tf, vars: Record<string, Variable>, tokens: Int32Array): Float32Array {
    const out = new Float32Array(this.numItems * this.params.factors);
    const step = 512, L = this.params.maxTokens;
    for (let s = 0; s < this.numItems; s += step) {
      const size = Math.min(step, this.numItems - s);
      const values = tf.tidy(() => (this.forward(tf, vars, tokens.subarray(s * L, (s + size) * L), size, null).dataSync() as Float32Array).slice());
      out.set(values, s * this.params.factors);
    }
    return out;
  }

  /**
   * θ = CNN(document) of `rows` encoded documents (tokens and mask rows × maxTokens, as
   * encodeDocuments lays them out), rows × factors, from the fitted CNN. Explanations occlude
   * tokens with it.
   */
  documentVectors(tokens: Int32Array, mask: Float32Array, rows: number): Float32Array {
    const cnn = this.cnn;
    if (!cnn) throw notFitted("ConvMF");
    const { tf } = requireTensorflow();
    const p = this.params;
    const vocabulary = cnn.embedding.length / p.embeddingDim;
    return tf.tidy(() => {
      const vars = Object.fromEntries(Object.entries(cnn).map(([name, values]) => [name, tf.tensor(values, cnnShape(p, vocabulary, name))]));
      // A masked-out token reads as padding (token 0), as in the encoded documents.
      const present = tokens.map((t, i) => (mask[i] > 0 ? t : 0));
      return (this.forward(tf, vars, present, rows, null).dataSync() as Float32Array).slice();
    });
  }

  /**
   * The text CNN over `b` documents (tokens [b, maxTokens], 0 = padding, which reads as a zero
   * embedding): for each window w, im2col rows of w embeddings side by side × W_w + b, ReLU, max
   * over positions → concatenated → dropout (training: `dropoutRng`) → linear to θ. Convolution
   * as one matMul keeps every gradient a matMul; the im2col copy and the max-pool run in JS
   * (lib/models/sequential/conv-ops.ts), as Caser's do.
   */
  private forward(tf: Tf, vars: Record<string, Tensor>, tokens: Int32Array, b: number, dropoutRng: Rng | null): Tensor2D {
    const p = this.params;
    const len = p.maxTokens;
    const pooled: Tensor2D[] = [];
    for (let w = 1; w <= p.maxWindow; w++) {
      const positions = len - w + 1;
      if (positions < 1) continue;
      let pre = tf.add(matMulFast(tf, windowRows(tf, vars.embedding, tokens, b, len, w), vars[`conv${w}W`] as Tensor2D), vars[`conv${w}B`] as Tensor1D) as Tensor2D;
      if (p.batchNorm) pre = this.norms.apply(tf, `conv${w}`, pre, (n) => vars[n], dropoutRng !== null) as Tensor2D;
      pooled.push(reluMaxOverTime(tf, pre, b, positions));
    }
    const z = dropout(tf, pooled.length === 1 ? pooled[0] : tf.concat(pooled, 1), p.dropout, dropoutRng) as Tensor2D;
    return tf.add(matMulFast(tf, z, vars.projW as Tensor2D), vars.projB) as Tensor2D;
  }

  score(users: Int32Array, out: Float32Array): void {
    const { userFactors, itemFactors } = this;
    if (!userFactors || !itemFactors) throw notFitted("ConvMF");
    scoreAllItems({ dim: this.params.factors, numItems: this.numItems, userFactors, itemFactors }, users, out);
  }

  save(): ModelState {
    const { userFactors, itemFactors, cnn } = this;
    if (!userFactors || !itemFactors || !cnn) throw notFitted("ConvMF");
    const arrays: Record<string, Float32Array> = { userFactors, itemFactors };
    for (const [name, values] of Object.entries(cnn)) arrays[`cnn.${name}`] = values;
    return { json: { factors: this.params.factors }, arrays: { ...arrays, ...this.norms.save() } };
  }

  load(state: ModelState): void {
    const k = this.params.factors;
    this.userFactors = readFloat32(state, "userFactors", this.numUsers * k);
    this.itemFactors = readFloat32(state, "itemFactors", this.numItems * k);
    const cnn: Record<string, Float32Array> = {};
    for (const name of Object.keys(state.arrays)) if (name.startsWith("cnn.")) cnn[name.slice(4)] = readFloat32(state, name);
    this.cnn = cnn;
    this.norms = cnnNorms(this.params);
    this.norms.load(state.arrays);
  }
}

function cnnShape(p: ConvMfParams, vocabulary: number, name: string): number[] {
  if (name.endsWith(".gamma") || name.endsWith(".beta")) return [p.filters];
  if (name === "embedding") return [vocabulary, p.embeddingDim];
  if (name === "projW") return [p.maxWindow * p.filters, p.factors];
  if (name === "projB") return [p.factors];
  const w = Number(name.slice(4, -1));
  return name.endsWith("W") ? [w * p.embeddingDim, p.filters] : [p.filters];
}

/** Seeded initial CNN weights: N(0, 0.1²) embeddings, Glorot-uniform layers, zero biases. */
function initialCnn(p: ConvMfParams, vocabulary: number, rng: Rng): Record<string, Float32Array> {
  const glorot = (fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return Float32Array.from({ length: fanIn * fanOut }, () => (2 * rng.next() - 1) * limit);
  };
  const out: Record<string, Float32Array> = {
    embedding: Float32Array.from({ length: vocabulary * p.embeddingDim }, () => 0.1 * rng.normal()),
  };
  for (let w = 1; w <= p.maxWindow; w++) {
    out[`conv${w}W`] = glorot(w * p.embeddingDim, p.filters);
    out[`conv${w}B`] = new Float32Array(p.filters);
  }
  out.projW = glorot(p.maxWindow * p.filters, p.factors);
  out.projB = new Float32Array(p.factors);
  return out;
}

/**
 * The convolutions' batch norm (when on): declares every window's layer, and with `cnn` (a new
 * CNN) adds its γ and β to those weights.
 */
function cnnNorms(p: ConvMfParams, cnn?: Record<string, Float32Array>): BatchNorm {
  const norms = new BatchNorm(p.batchNormMomentum);
  if (!p.batchNorm) return norms;
  for (let w = 1; w <= p.maxWindow; w++) {
    if (cnn) norms.addLayer(`conv${w}`, p.filters, (name, _shape, values) => (cnn[name] = values));
    else norms.declare(`conv${w}`, p.filters);
  }
  return norms;
}

/** Rows `rows` of a row-major matrix with `k` columns (item factors, or documents' tokens). */
function rowsOf<T extends Float32Array | Int32Array>(m: T, rows: Int32Array, k: number): T {
  const out = new (m.constructor as new (length: number) => T)(rows.length * k);
  for (let r = 0; r < rows.length; r++) out.set(m.subarray(rows[r] * k, (rows[r] + 1) * k), r * k);
  return out;
}

export const convMfDefinition: ModelDefinition<typeof convMfParamsSchema> = {
  id: "convmf",
  displayName: "ConvMF",
  summary: "Matrix factorisation whose item factors are tied to a text CNN over each item's title, genres and description, so brand-new items can be recommended from their text.",
  paper: {
    authors: "Donghyun Kim, Chanyoung Park, Jinoh Oh, Sungyoung Lee, Hwanjo Yu",
    title: "Convolutional matrix factorization for document context-aware recommendation",
    venue: "RecSys",
    year: 2016,
    url: "https://doi.org/10.1145/2959100.2959165",
  },
  feedback: "implicit",
  input: "matrix",
  training: "epochs",
  engine: "tfjs",
  paramsSchema: convMfParamsSchema,
  create: (params, numUsers, numItems) => new ConvMf(params, numUsers, numItems),
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => convMfMemoryBytes(params, numUsers, numItems, numInteractions),
};
