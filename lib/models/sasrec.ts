// SASRec: Wang-Cheng Kang & Julian McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018.
// Item + learned positional embeddings, causal self-attention blocks (pre-layer-norm queries,
// residuals, point-wise feed-forward, dropout), next-item logits against the shared item
// embeddings; trained with full-softmax cross-entropy on every position of each user's window.
import type { Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D } from "@tensorflow/tfjs";
import { z } from "zod";
import { Rng } from "../util/rng";
import { deepTrainingParams } from "../training/deep-training";
import { sasrecFlops } from "../training/deep-flops";
import { buildUserSequences, buildWindows, pickEpochWindows, WINDOW_MODES, type SequenceWindows } from "./sequential/sequences";
import type { Replica } from "../training/threads/data-parallel";
import { splitContiguous } from "../training/threads/split";
import { dense, dropout, gatherRows, glorot, layerNorm, loadedTf, loadTf, mm, fullSoftmaxCrossEntropy, sampledSoftmaxCrossEntropy, WeightBag, type Tf } from "./sequential/tf-helpers";
import { SequenceRecommender } from "./sequential/sequence-recommender";
import { causalAttention } from "./sequential/causal-attention";
import { runEpochs, shuffledBatches } from "./sequential/train-loop";
import { notFitted } from "./shared/state";
import type { FitContext, ModelDefinition, TrainingData } from "./types";
import { sasrecMemoryBytes } from "./memory";

export const sasrecParamsSchema = z.object({
  factors: z.number().int().min(2).max(512).default(64).describe("Hidden size d of item embeddings and attention blocks. Count."),
  maxLen: z
    .number()
    .int()
    .min(2)
    .max(1000)
    .default(50)
    .describe("Most recent items the model attends to (longer histories are cut, shorter left-padded). Count."),
  blocks: z.number().int().min(1).max(8).default(2).describe("Stacked self-attention blocks. Count."),
  heads: z.number().int().min(1).max(8).default(1).describe("Attention heads per block; must divide factors. Count."),
  // "all" by default: on MovieLens 100K and latest-small (model seeds 42 and 1) it beat the newest
  // window alone by +.005 to +.024 test NDCG@10 (docs/benchmarks/sequential.md, round 4).
  trainWindows: z
    .enum(WINDOW_MODES)
    .default("all")
    .describe(
      "Training windows per epoch: every maxLen window of each history (every item a target once), each user's most recent window only (the paper's implementation), or one window per user drawn from the whole history (the cost of 'latest', all data used over epochs).",
    ),
  embeddingStd: z
    .number()
    .positive()
    .default(0.02)
    .describe(
      "Standard deviation of the normal initialisation of item and position embeddings (RecBole's initializer_range). Small, so a rarely seen item's score is not dominated by its random start.",
    ),
  negatives: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Uniform negatives shared by a mini-batch for sampled softmax; 0 = full softmax over all items. Count."),
  // Batch 16, not the paper's 128: an epoch is one window per user, so catalogues of a few
  // hundred to a few thousand users get only 5–8 steps per epoch at 128 and learn very slowly.
  // Validation NDCG@10 on MovieLens 100K: 16 > 32 > 128 on two seeds; latest-small: 32 ≈ 16
  // (docs/benchmarks/sequential.md, round 3).
  ...deepTrainingParams({ epochs: 200, batchSize: 16, learningRate: 0.001, dropout: 0.2 }),
});

export type SasrecParams = z.infer<typeof sasrecParamsSchema>;

class SasRec extends SequenceRecommender {
  constructor(
    private readonly params: SasrecParams,
    numUsers: number,
    numItems: number,
  ) {
    super("sasrec", "SASRec", numUsers, numItems);
    if (params.factors % params.heads !== 0) throw new Error(`SASRec: heads (${params.heads}) must divide factors (${params.factors})`);
  }

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { tf } = await loadTf();
    const p = this.params;
    this.sequences = buildUserSequences(data.trainTable, this.numUsers);
    const optimizer = this.prepareFit(tf, ctx, p, { beta2: 0.98 });
    const windows = buildWindows(this.sequences, p.maxLen);
    const init: SasrecReplicaInit = { params: p, numUsers: this.numUsers, numItems: this.numItems, windows };
    await runEpochs({
      tf,
      weights: this.weights!,
      params: p,
      optimizer,
      ctx,
      batches: (epochRng) => shuffledBatches(pickEpochWindows(windows, p.trainWindows, epochRng), p.batchSize, epochRng),
      loss: (batch, epochRng) => this.windowLoss(tf, windows, batch, epochRng),
      parallel: {
        replica: this.replica(tf, windows),
        source: { module: import.meta.url, exportName: "createSasrecReplica", init },
        split: splitContiguous,
      },
    });
  }

  /** This model as a data-parallel replica over `windows` (lib/training/threads/data-parallel.ts). */
  replica(tf: Tf, windows: SequenceWindows): Replica<Int32Array> {
    return {
      vars: this.weights!.vars,
      loss: (shard, rng) => this.windowLoss(tf, windows, shard, rng),
      lossTerms: (shard) => {
        let n = 0;
        for (const w of shard) for (let c = 0, at = w * windows.maxLen; c < windows.maxLen; c++) if (windows.targets[at + c] > 0) n++;
        return n;
      },
      dispose: () => this.weights?.dispose(),
    };
  }

  /** Mean next-item loss over every target position of the windows in `batch`. */
  private windowLoss(tf: Tf, windows: SequenceWindows, batch: Int32Array, rng: Rng): Scalar {
    const p = this.params;
    const weights = this.weights!;
    const L = p.maxLen;
    const b = batch.length;
    const tokens = new Int32Array(b * L);
    const positions: number[] = [];
    const labels: number[] = [];
    for (let r = 0; r < b; r++) {
      const w = batch[r];
      tokens.set(windows.inputs.subarray(w * L, (w + 1) * L), r * L);
      for (let c = 0; c < L; c++) {
        const t = windows.targets[w * L + c];
        if (t > 0) {
          positions.push(r * L + c);
          labels.push(t - 1);
        }
      }
    }
    const hidden = this.forward(tf, tf.tensor2d(tokens, [b, L], "int32"), rng);
    const picked = gatherRows(tf, tf.reshape(hidden, [b * L, p.factors]), Int32Array.from(positions));
    const items = tf.slice(weights.get("itemEmb"), [1, 0], [this.numItems, p.factors]) as Tensor2D;
    const targets = Int32Array.from(labels);
    if (p.negatives <= 0 || p.negatives >= this.numItems) return fullSoftmaxCrossEntropy(tf, picked, items, targets) as Scalar;
    const negatives = Int32Array.from({ length: p.negatives }, () => rng.int(this.numItems));
    return sampledSoftmaxCrossEntropy(tf, picked, items, tf.tensor1d(targets, "int32"), tf.tensor1d(negatives, "int32")) as Scalar;
  }

  score(users: Int32Array, out: Float32Array): void {
    if (!this.weights || !this.sequences) throw notFitted("SASRec");
    const tf = loadedTf();
    const L = this.params.maxLen, d = this.params.factors, n = this.numItems;
    const chunk = 256;
    for (let start = 0; start < users.length; start += chunk) {
      const b = Math.min(chunk, users.length - start);
      const tokens = new Int32Array(b * L);
      for (let r = 0; r < b; r++) this.fillWindow(users, start + r, L, tokens, r * L);
      const logits = tf.tidy(() => {
        const hidden = this.forward(tf, tf.tensor2d(tokens, [b, L], "int32"), null);
        const last = tf.reshape(tf.slice(hidden, [0, L - 1, 0], [b, 1, d]), [b, d]) as Tensor2D;
        return mm(tf, last, this.outputMatrix(tf));
      });
      out.set(logits.dataSync() as Float32Array, start * n);
      logits.dispose();
    }
  }



  /**
   * Where the last position looks for a history (items oldest first): the last block's attention
   * of the last position over the window, averaged over heads. `weights[k]` belongs to the k-th of
   * the last min(maxLen, n) items; `padding` is the attention left on padded positions.
   */
  lastPositionAttention(history: Int32Array): { weights: Float32Array; padding: number } {
    if (!this.weights) throw notFitted("SASRec");
    const tf = loadedTf();
    const L = this.params.maxLen, h = this.params.heads;
    const n = Math.min(L, history.length);
    const tokens = new Int32Array(L);
    for (let k = 0; k < n; k++) tokens[L - n + k] = history[history.length - n + k] + 1;
    const row = tf.tidy(() => {
      const captured: Tensor[] = [];
      this.forward(tf, tf.tensor2d(tokens, [1, L], "int32"), null, captured);
      // [h, L, L] → the last query row, averaged over heads.
      const row = tf.mean(tf.slice(captured[captured.length - 1], [0, L - 1, 0], [h, 1, L]), [0, 1]);
      tf.dispose(captured); // kept by the attention op, so outside this scope's reach
      return row;
    });
    const all = row.dataSync() as Float32Array;
    row.dispose();
    let padding = 0;
    for (let c = 0; c < L - n; c++) padding += all[c];
    return { weights: all.slice(L - n), padding };
  }

  /**
   * Hidden states [b, L, d] of a batch of token windows; `rng` null = inference (no dropout).
   * `attention`, when given, receives each block's attention probabilities [b·heads, L, L], kept (the caller disposes them).
   */
  private forward(tf: Tf, tokens: Tensor2D, rng: Rng | null, attention?: Tensor[]): Tensor {
    const p = this.params;
    const w = this.weights!;
    const [b, L] = tokens.shape;
    const d = p.factors, h = p.heads, dh = d / h;
    const mask = tf.expandDims(tf.cast(tf.notEqual(tokens, 0), "float32"), -1);
    const embedded = tf.reshape(gatherRows(tf, w.get("itemEmb"), tokens.dataSync() as Int32Array), [b, L, d]);
    let x: Tensor = tf.add(tf.mul(embedded, Math.sqrt(d)), w.get("posEmb"));
    x = tf.mul(dropout(tf, x, p.dropout, rng), mask);
    // [b, L, d] ↔ [b·h, L, dh]; with one head (the default) a reshape, no transpose.
    const heads = (t: Tensor) => (h === 1 ? t : tf.reshape(tf.transpose(tf.reshape(t, [b, L, h, dh]), [0, 2, 1, 3]), [b * h, L, dh])) as Tensor3D;
    const merge = (t: Tensor) => (h === 1 ? t : tf.reshape(tf.transpose(tf.reshape(t, [b, h, L, dh]), [0, 2, 1, 3]), [b, L, d]));
    for (let k = 0; k < p.blocks; k++) {
      const v = (name: string) => w.get(`b${k}.${name}`);
      const q = layerNorm(tf, x, v("ln1g") as Tensor1D, v("ln1b") as Tensor1D);
      const qh = heads(dense(tf, q, v("wq") as Tensor2D, v("bq") as Tensor1D));
      const kh = heads(dense(tf, x, v("wk") as Tensor2D, v("bk") as Tensor1D));
      const vh = heads(dense(tf, x, v("wv") as Tensor2D, v("bv") as Tensor1D));
      x = tf.add(q, merge(causalAttention(tf, qh, kh, vh, p.dropout, rng, attention)));
      const f = layerNorm(tf, x, v("ln2g") as Tensor1D, v("ln2b") as Tensor1D);
      const inner = dropout(tf, tf.relu(dense(tf, f, v("w1") as Tensor2D, v("b1") as Tensor1D)), p.dropout, rng);
      const ffn = dropout(tf, dense(tf, inner, v("w2") as Tensor2D, v("b2") as Tensor1D), p.dropout, rng);
      x = tf.mul(tf.add(f, ffn), mask);
    }
    return layerNorm(tf, x, w.get("lnFg") as Tensor1D, w.get("lnFb") as Tensor1D);
  }

  /** Item embeddings (padding row dropped) as a [d, numItems] matrix for the output logits. */
  private outputMatrix(tf: Tf): Tensor2D {
    const emb = this.weights!.get("itemEmb");
    return tf.transpose(tf.slice(emb, [1, 0], [this.numItems, this.params.factors])) as Tensor2D;
  }

  /** Weights of the right shapes for a replica; their values come from the trainer. */
  initReplicaWeights(tf: Tf): void {
    this.initWeights(tf, new Rng(0));
  }

  protected initWeights(tf: Tf, rng: Rng | null): void {
    this.weights?.dispose();
    const w = (this.weights = new WeightBag(tf));
    const d = this.params.factors, L = this.params.maxLen;
    const r = rng ?? new Rng(0);
    const std = this.params.embeddingStd;
    w.add("itemEmb", [this.numItems + 1, d], { kind: "normal", std }, r);
    w.add("posEmb", [L, d], { kind: "normal", std }, r);
    for (let k = 0; k < this.params.blocks; k++) {
      for (const name of ["wq", "wk", "wv", "w1", "w2"]) w.add(`b${k}.${name}`, [d, d], glorot(d, d), r);
      for (const name of ["bq", "bk", "bv", "b1", "b2", "ln1b", "ln2b"]) w.add(`b${k}.${name}`, [d], { kind: "zeros" }, r);
      for (const name of ["ln1g", "ln2g"]) w.add(`b${k}.${name}`, [d], { kind: "ones" }, r);
    }
    w.add("lnFg", [d], { kind: "ones" }, r);
    w.add("lnFb", [d], { kind: "zeros" }, r);
  }
}

/** What a pool thread needs to build a SASRec replica for data-parallel training. */
export interface SasrecReplicaInit {
  params: SasrecParams;
  numUsers: number;
  numItems: number;
  windows: SequenceWindows;
}

/** Pool-thread factory: a SASRec replica (weights arrive from the trainer before every shard). */
export async function createSasrecReplica(init: SasrecReplicaInit): Promise<Replica<Int32Array>> {
  const { tf } = await loadTf();
  const model = new SasRec(init.params, init.numUsers, init.numItems);
  model.initReplicaWeights(tf);
  return model.replica(tf, init.windows);
}

export const sasrecDefinition: ModelDefinition<typeof sasrecParamsSchema> = {
  id: "sasrec",
  displayName: "SASRec",
  summary: "Causal self-attention over a user's most recent items predicts the next item (Transformer encoder blocks).",
  paper: {
    authors: "Wang-Cheng Kang, Julian McAuley",
    title: "Self-Attentive Sequential Recommendation",
    venue: "ICDM",
    year: 2018,
    url: "https://arxiv.org/abs/1808.09781",
  },
  feedback: "implicit",
  input: "sequences",
  training: "epochs",
  engine: "tfjs",
  paramsSchema: sasrecParamsSchema,
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => sasrecMemoryBytes(params, numUsers, numItems, numInteractions),
  create: (params, numUsers, numItems) => new SasRec(params, numUsers, numItems),
  // `size` is the training part.
  parallelFit: (params, size) => ({
    work: params.epochs * sasrecFlops(params, { ...size, trainInteractions: size.numInteractions }).trainPerEpoch,
    minWork: SASREC_PARALLEL_MIN_FLOPS,
  }),
};

/**
 * The least training FLOPs (epochs × lib/training/deep-flops.ts's count) a SASRec fit runs
 * data-parallel: each thread loads its own TensorFlow.js backend (a second or more) and every
 * step exchanges gradients and weights, so small fits (the unit-test fixtures' few MFLOPs) stay on
 * one thread; ml-100k's default fit (~95 GFLOPs per epoch, two thirds of it the full softmax) is far above.
 */
export const SASREC_PARALLEL_MIN_FLOPS = 50e9;
