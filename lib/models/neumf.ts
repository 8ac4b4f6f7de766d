// NeuMF: He, Liao, Zhang, Nie, Hu & Chua, "Neural collaborative filtering", WWW 2017.
// Fuses a generalised MF tower (element-wise product of embeddings) and an MLP tower (ReLU layers
// over concatenated embeddings) into one logistic output, trained with binary cross-entropy on
// observed pairs and sampled negatives (or, by choice, BPR's pairwise loss of each observed pair
// against its negatives), plus an L2 penalty on the embedding rows each batch looks up;
// optionally the two towers are pre-trained first, fused (output weights scaled by α, 1 − α) and
// fine-tuned with SGD at a lower rate (the paper: plain SGD).
import { restoreOptimizer, saveDeepState } from "./deep/deep-state";
import { BatchNorm, batchNormParams } from "./deep/batch-norm";
import { z } from "zod";
import type { Scalar, Tensor, Tensor2D } from "@tensorflow/tfjs";
import { deepTrainingParams, learningRateAt, OPTIMIZERS } from "../training/deep-training";
import { createOptimizer, type Optimizer } from "../training/optimizers";
import { loadTensorflow, matMulFast, requireTensorflow, type Tf } from "../training/tf-backend";
import { Rng } from "../util/rng";
import { opSeed } from "../training/seeding";
import { runEpochs } from "./deep/epochs";
import { historyOf, loadHistory, type UserHistory } from "./deep/history";
import { glorotUniform, normalValues, scoreInBatches, trainStep, Weights } from "./deep/weights";
import { dropoutMasks, maskBytes, maskValues, neumfLossAndGrads, scoreUsersFast, scoringTables, type NeuMfLayout } from "./deep/neumf-fast";
import { hasMemoryViews } from "../training/tensor-memory";
import { bestOfNegatives, sortedPositives, type PairScore } from "./shared/negative-sampling";
import { notFitted } from "./shared/state";
import { WeightAverage, weightAverageParams } from "./deep/weight-average";
import { neumfMemoryBytes } from "./memory";
import type { FitContext, ModelDefinition, ModelState, Recommender, SaveOptions, TrainingData, TrainingPhase } from "./types";

export const neumfParamsSchema = z.object({
  // Regularised against the early overfitting of the towers (validation peaks by epoch ~10, then
  // falls): dropout 0.2 after every MLP layer and the rate halved every 3 epochs, at batch 1,024
  // and 3e-3. Chosen on validation NDCG@10 over split seeds 42, 1 and 7 of ml-100k and
  // ml-latest-small, higher on all six than the former batch 4,096 at 6e-3 without either
  // (docs/benchmarks/defaults.md, "NeuMF regularised").
  ...deepTrainingParams({ epochs: 60, batchSize: 1024, learningRate: 3e-3, optimizer: "adam", dropout: 0.2, schedule: "step", scheduleEvery: 3 }),
  factors: z.number().int().min(2).max(512).default(32).describe("Predictive factors: the GMF embedding size and the width of the MLP's last layer. Count."),
  mlpLayers: z
    .number()
    .int()
    .min(1)
    .max(5)
    .default(2)
    .describe(
      "MLP layers; widths halve towards `factors` (2 layers with 32 factors: 64-32 over two 32-d embeddings; 3 layers: 128-64-32 over 64-d ones, ~4x the work per pair for no gain on ml-100k). Count.",
    ),
  // 16, not the paper's 4 or RecLab's earlier 8: validation NDCG@10 was higher on all six splits
  // (seeds 42, 1, 7 of ml-100k and ml-latest-small), and 24 or 32 no higher at 1.5–2× the epoch
  // (docs/benchmarks/defaults.md, "NeuMF with 16 negatives").
  negatives: z.number().int().min(1).max(50).default(16).describe("Unobserved items sampled per observed pair each epoch (the paper: 4; more sharpen the ranking, at proportionally longer epochs). Count."),
  loss: z
    .enum(["pointwise", "pairwise"])
    .default("pointwise")
    .describe(
      "pointwise: the paper's log loss, each observed pair labelled 1 and each sampled negative 0. pairwise: BPR's −log σ(s_pos − s_neg) of each observed pair against each of its sampled negatives (Rendle et al. 2009), which ranks without pushing unobserved items' scores to 0.",
    ),
  negativeCandidates: z
    .number()
    .int()
    .min(1)
    .max(32)
    .default(1)
    .describe(
      "Uniform candidates drawn per negative; the one the GMF tower scores highest (with the weights at the epoch's start) becomes the negative (dynamic negative sampling, Zhang et al. 2013). 1 = the paper's uniform sampling. Count.",
    ),
  pretrainEpochs: z
    .number()
    .int()
    .min(0)
    .default(12)
    .describe(
      "First epochs train the GMF and MLP towers separately (each with its own output, scored meanwhile as their α-weighted sum); then they are fused. 0 = train NeuMF end to end. Count.",
    ),
  fineTuneOptimizer: z
    .enum(OPTIMIZERS)
    .default("sgd")
    .describe("Optimizer of the fused model after pre-training (the paper: vanilla SGD, since Adam's moments do not carry over from the towers). Ignored when pretrainEpochs is 0."),
  fineTuneLearningRate: z
    .number()
    .positive()
    .max(10)
    .default(1e-3)
    .describe("Learning rate of the fused model after pre-training (lower than the towers'; momentum as `momentum`). Per gradient step."),
  alpha: z.number().min(0).max(1).default(0.5).describe("Weight of the pre-trained GMF output against the MLP's when fusing (the paper's α = 0.5). Fraction."),
  embeddingStd: z.number().positive().default(0.01).describe("Standard deviation of the normal initialisation of the embeddings."),
  embeddingReg: z
    .number()
    .min(0)
    .default(0.01)
    .describe(
      "L2 penalty on the GMF and MLP embedding rows a batch looks up: this × their squared norms, averaged over the batch's pairs, is added to the loss (as the NCF code's reg_mf / reg_layers; unlike weightDecay, rows outside the batch are not shrunk).",
    ),
  ...batchNormParams("every MLP layer"),
  // On: the validation curve moves by ±.004 from epoch to epoch, and scoring the average of the
  // last ~3,000 steps' weights lifted test NDCG@10 on every split seed of ml-latest-small, level
  // on ml-100k (docs/benchmarks/defaults.md, "NeuMF scores a moving average of its weights").
  ...weightAverageParams(0.9997),
});

export type NeuMfParams = z.infer<typeof neumfParamsSchema>;

/** (user, item) pairs scored per batch at ranking time; the MLP's activations are [pairs, width]. */
const SCORE_PAIRS = 1 << 17;
/** The same for the fast path, whose [pairs, width] activations are read by JS kernels: cache-sized. */
const FAST_SCORE_PAIRS = 1 << 15;

class NeuMf implements Recommender {
  private tf: Tf | null = null;
  private weights: Weights | null = null;
  private optimizer: Optimizer | null = null;
  private history: UserHistory | null = null;
  /** Pre-training is over and the tower outputs carry the α weights. */
  private fused = false;
  /** Moving statistics of the MLP layers' batch norm (none declared when it is off). */
  private norms = new BatchNorm();
  /** The moving average of the weights that is scored (none when `weightAverageDecay` is 0). */
  private average: WeightAverage | null = null;

  constructor(
    private readonly params: NeuMfParams,
    private readonly numUsers: number,
    private readonly numItems: number,
  ) {}

  /** Widths of the MLP layers, the last one `factors`. */
  private layerWidths(): number[] {
    const { factors, mlpLayers } = this.params;
    return Array.from({ length: mlpLayers }, (_, i) => factors * 2 ** (mlpLayers - 1 - i));
  }

  private initWeights(tf: Tf, rng: Rng): Weights {
    const w = neumfWeights(tf, rng, this.layout(), this.params.embeddingStd);
    this.norms = new BatchNorm(this.params.batchNormMomentum);
    // γ and β are deterministic (1, 0): adding them last keeps the random draws of the other weights.
    if (this.params.batchNorm) this.layerWidths().forEach((width, l) => this.norms.addLayer(`mlp${l}`, width, (n, shape, values) => w.add(n, shape, values)));
    return w;
  }

  private layout(): NeuMfLayout {
    return { numUsers: this.numUsers, numItems: this.numItems, factors: this.params.factors, widths: this.layerWidths() };
  }

  /**
   * The explicit forward/backward of ./deep/neumf-fast.ts covers the tower (dropout included) on
   * backends with reachable tensor memory; batch norm (its backward is not written there yet) and
   * other backends use the tf-ops formulation, differentiated by tf's autodiff.
   */
  private fastPath(tf: Tf): boolean {
    return hasMemoryViews(tf) && !this.params.batchNorm;
  }

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { tf } = await loadTensorflow();
    this.tf = tf;
    const p = this.params;
    const startEpoch = ctx.startEpoch ?? 1;
    if (startEpoch <= 1 || !this.weights || !this.history) {
      this.disposeModel();
      this.history = historyOf(data.train);
      this.weights = this.initWeights(tf, new Rng(ctx.seed));
      this.average = WeightAverage.start(tf, this.weights, p.weightAverageDecay);
    }
    const w = this.weights, history = this.history;
    this.optimizer ??= this.makeOptimizer(tf, w);
    const { positives, entryUser } = sortedPositives(history, this.numUsers);
    const numPairs = positives.length * (1 + p.negatives);
    const pretrain = Math.min(p.pretrainEpochs, p.epochs);
    const users = new Int32Array(numPairs), items = new Int32Array(numPairs), labels = new Float32Array(numPairs);
    const fast = this.fastPath(tf), layout = this.layout();
    const group = p.loss === "pairwise" ? 1 + p.negatives : undefined;
    const unit = group ?? 1;
    const norm: LayerNorm | undefined = p.batchNorm ? (l, x) => this.norm(tf, w, l, x, true) : undefined;

    await runEpochs(ctx, p.epochs, async (epoch, rng, interrupted) => {
      if (pretrain > 0 && epoch === pretrain + 1) this.fuse(tf, w);
      const fusedPhase = epoch > pretrain;
      const lr = fusedPhase && pretrain > 0 ? p.fineTuneLearningRate : learningRateAt(p, epoch);
      const score = p.negativeCandidates > 1 ? gmfScore(w, p.factors) : null;
      samplePairs(history, positives, entryUser, { count: p.negatives, candidates: p.negativeCandidates, score }, this.numItems, rng, users, items, labels);
      // Batches are shuffled units: single pairs, or for the pairwise loss an observed pair with its negatives.
      const unitCount = numPairs / unit;
      const order = rng.shuffle(Int32Array.from({ length: unitCount }, (_, i) => i));
      const unitsPerBatch = Math.max(1, Math.min(Math.floor(p.batchSize / unit), unitCount));
      const batches = Math.ceil(unitCount / unitsPerBatch);
      const rows = unitsPerBatch * unit;
      const bu = new Int32Array(rows), bi = new Int32Array(rows), by = new Float32Array(rows);
      const maskBuffers = p.dropout > 0 ? layout.widths.map((width) => new Uint8Array(maskBytes(rows * width))) : undefined;
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        const start = b * unitsPerBatch, n = Math.min(unitsPerBatch, unitCount - start) * unit;
        for (let k = 0, o = start; k < n; o++) {
          for (let e = order[o] * unit, end = e + unit; e < end; e++, k++) {
            bu[k] = users[e];
            bi[k] = items[e];
            by[k] = labels[e];
          }
        }
        // The same masks on either path, drawn from the epoch's stream only when there is dropout.
        const masks = maskBuffers && dropoutMasks(layout.widths, n, p.dropout, opSeed(rng), maskBuffers);
        if (fast) {
          const { loss, grads } = neumfLossAndGrads(tf, w, layout, { users: bu, items: bi, labels: by, n, group }, { fused: fusedPhase, reg: p.embeddingReg, masks });
          this.optimizer!.step(grads, lr);
          tf.dispose(Object.values(grads));
          lossSum += loss;
        } else {
          const u = tf.tensor1d(bu.subarray(0, n), "int32"), i = tf.tensor1d(bi.subarray(0, n), "int32");
          const y = tf.tensor2d(by.subarray(0, n), [n, 1]);
          const maskTensors = masks?.map((m, l) => tf.tensor2d(maskValues(m), [n, layout.widths[l]]));
          lossSum += trainStep(tf, w, this.optimizer!, () => neumfLossOps(tf, w, p, { users: u, items: i, labels: y, n, group }, fusedPhase, maskTensors, norm), lr);
          tf.dispose([u, i, y, ...(maskTensors ?? [])]);
        }
        this.average?.update(w);
        if (await interrupted()) break;
      }
      return lossSum / batches;
    });
  }

  /** Ends pre-training: scales the tower outputs by α and 1 − α and switches to the fine-tuning optimizer. */
  private fuse(tf: Tf, w: Weights): void {
    const alpha = this.params.alpha;
    // The average is scaled alike: it stands for the same model.
    for (const x of [w, this.average?.weights]) {
      if (!x) continue;
      tf.tidy(() => {
        x.get("gmfOut").assign(tf.mul(x.get("gmfOut"), alpha));
        x.get("mlpOut").assign(tf.mul(x.get("mlpOut"), 1 - alpha));
      });
    }
    this.fused = true;
    this.optimizer?.dispose();
    this.optimizer = this.makeOptimizer(tf, w);
  }

  score(users: Int32Array, out: Float32Array): void {
    const tf = this.tf, w = this.average?.weights ?? this.weights;
    if (!tf || !w) throw notFitted("NeuMF");
    const I = this.numItems;
    const widths = this.layerWidths();
    const embed = widths[0] / 2;
    const batch = Math.max(1, Math.floor(SCORE_PAIRS / I));
    // During pre-training the towers are scored as the fused model they are about to become.
    const [gmfScale, mlpScale] = this.params.pretrainEpochs > 0 && !this.fused ? [this.params.alpha, 1 - this.params.alpha] : [1, 1];
    if (this.fastPath(tf)) {
      const layout = this.layout(), tables = scoringTables(tf, w, layout);
      const fastBatch = Math.max(1, Math.floor(FAST_SCORE_PAIRS / I));
      try {
        scoreInBatches(tf, users, out, I, fastBatch, (b) => scoreUsersFast(tf, w, layout, tables, b, [gmfScale, mlpScale]));
      } finally {
        tf.dispose(Object.values(tables));
      }
      return;
    }
    scoreInBatches(tf, users, out, I, batch, (b) => {
      const B = b.length;
      const u = tf.tensor1d(b, "int32");
      // GMF: (p_u ⊙ h) · q_i for all items at once.
      // (Explicit transposes: matMul's transpose flags are ~10x slower on wasm.)
      const gmf = tf.matMul(tf.mul(tf.gather(w.get("gmfUser"), u), tf.reshape(w.get("gmfOut"), [1, -1])), tf.transpose(w.get("gmfItem")));
      // MLP: the first layer splits into a user part and an item part, added by broadcasting.
      const w0 = w.get("mlpW0");
      const w0u = tf.slice(w0, [0, 0], [embed, -1]), w0i = tf.slice(w0, [embed, 0], [embed, -1]);
      const au = tf.matMul(tf.gather(w.get("mlpUser"), u), w0u);
      const ai = tf.add(tf.matMul(w.get("mlpItem"), w0i), w.get("mlpB0"));
      let h = tf.reshape(tf.relu(this.norm(tf, w, 0, tf.add(tf.reshape(au, [B, 1, -1]), tf.reshape(ai, [1, I, -1])), false)), [B * I, widths[0]]) as Tensor2D;
      for (let l = 1; l < widths.length; l++) h = tf.relu(this.norm(tf, w, l, tf.add(tf.matMul(h, w.get(`mlpW${l}`)), w.get(`mlpB${l}`)), false)) as Tensor2D;
      const mlp = tf.reshape(tf.matMul(h, w.get("mlpOut")), [B, I]);
      return tf.add(tf.add(tf.mul(gmf, gmfScale), tf.mul(mlp, mlpScale)), w.get("outBias"));
    });
  }

  save({ scoring = false }: SaveOptions = {}): ModelState {
    const { weights, history } = this;
    if (!weights || !history) throw notFitted("NeuMF");
    const state = saveDeepState({ fused: this.fused }, weights, history, scoring ? null : this.optimizer);
    return { ...state, arrays: { ...state.arrays, ...this.norms.save(), ...this.average?.save() } };
  }

  load(state: ModelState): void {
    const { tf } = requireTensorflow();
    this.tf = tf;
    this.disposeModel();
    this.history = loadHistory(state, this.numUsers);
    this.weights = this.initWeights(tf, new Rng(0));
    this.weights.load(state);
    this.average = WeightAverage.load(tf, this.weights, this.params.weightAverageDecay, state);
    this.norms.load(state.arrays);
    this.fused = state.json.fused === true;
    const weights = this.weights;
    const restored = restoreOptimizer(state, () => this.makeOptimizer(tf, weights));
    if (restored) this.optimizer = restored;
  }

  /** With `batchNorm` on: MLP layer `l`'s batch norm of its pre-activation (batch statistics when `training`). */
  private norm(tf: Tf, w: Weights, l: number, x: Tensor, training: boolean): Tensor {
    return this.params.batchNorm ? this.norms.apply(tf, `mlp${l}`, x, (n) => w.get(n), training) : x;
  }

  private makeOptimizer(tf: Tf, w: Weights): Optimizer {
    const p = this.params;
    const name = this.fused && p.pretrainEpochs > 0 ? p.fineTuneOptimizer : p.optimizer;
    return createOptimizer(tf, { name, momentum: p.momentum, weightDecay: p.weightDecay }, w.vars);
  }

  private disposeModel(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
    this.weights?.dispose();
    this.weights = null;
    this.average?.dispose();
    this.average = null;
    this.fused = false;
  }
}

/** NeuMF's named weights, initialised from `rng` (normal embeddings, Glorot layers, zero biases). */
export function neumfWeights(tf: Tf, rng: Rng, layout: NeuMfLayout, std: number): Weights {
  const w = new Weights(tf);
  const { numUsers: U, numItems: I, factors: f, widths } = layout;
  const embed = widths[0] / 2;
  w.add("gmfUser", [U, f], normalValues(rng, U * f, std));
  w.add("gmfItem", [I, f], normalValues(rng, I * f, std));
  w.add("mlpUser", [U, embed], normalValues(rng, U * embed, std));
  w.add("mlpItem", [I, embed], normalValues(rng, I * embed, std));
  let fanIn = 2 * embed;
  widths.forEach((width, l) => {
    w.add(`mlpW${l}`, [fanIn, width], glorotUniform(rng, fanIn, width));
    w.add(`mlpB${l}`, [1, width], new Float32Array(width));
    fanIn = width;
  });
  // Output weights of each tower; their weighted sum (plus a bias) is the NeuMF logit.
  w.add("gmfOut", [f, 1], glorotUniform(rng, f, 1));
  w.add("mlpOut", [f, 1], glorotUniform(rng, f, 1));
  w.add("outBias", [1, 1], new Float32Array(1));
  return w;
}

type TowerParams = Pick<NeuMfParams, "mlpLayers" | "embeddingReg">;

/** Normalisation of MLP layer `l`'s pre-activation (batch norm in training mode, when on). */
export type LayerNorm = (l: number, x: Tensor) => Tensor;

/**
 * The MLP tower on concatenated embeddings: ReLU layers (`norm` before, when training; dropout
 * after each as the product with `masks[l]` from `dropoutMasks`, when training with dropout).
 */
export function mlpTower(tf: Tf, w: Weights, params: TowerParams, input: Tensor2D, masks?: Tensor[], norm?: LayerNorm): Tensor2D {
  let h = input;
  for (let l = 0; l < params.mlpLayers; l++) {
    const z = tf.add(matMulFast(tf, h, w.get(`mlpW${l}`)), w.get(`mlpB${l}`));
    h = tf.relu(norm ? norm(l, z) : z) as Tensor2D;
    if (masks) h = tf.mul(h, masks[l]) as Tensor2D;
  }
  return h;
}

/** Logits of the GMF and MLP towers for (user, item) pairs, and the embedding rows they looked up (tf ops). */
function towers(tf: Tf, w: Weights, params: TowerParams, users: Tensor, items: Tensor, masks?: Tensor[], norm?: LayerNorm) {
  const gmfUser = tf.gather(w.get("gmfUser"), users), gmfItem = tf.gather(w.get("gmfItem"), items);
  const mlpUser = tf.gather(w.get("mlpUser"), users), mlpItem = tf.gather(w.get("mlpItem"), items);
  const rows = [gmfUser, gmfItem, mlpUser, mlpItem];
  const gmf = tf.mul(gmfUser, gmfItem) as Tensor2D;
  const h = mlpTower(tf, w, params, tf.concat([mlpUser, mlpItem], 1) as Tensor2D, masks, norm);
  return { gmf: matMulFast(tf, gmf, w.get("gmfOut")), mlp: matMulFast(tf, h, w.get("mlpOut")), rows };
}

/**
 * The batch loss in tf ops, differentiated by tf's autodiff: the formulation for backends without
 * reachable tensor memory and for dropout and batch norm, and the reference the fast path is tested against.
 * `fused`: one loss on the summed logits; otherwise pre-training (each tower its own loss); pointwise
 * (BCE) or, with `group`, pairwise.
 */
export function neumfLossOps(
  tf: Tf,
  w: Weights,
  params: TowerParams,
  batch: { users: Tensor; items: Tensor; labels: Tensor; n: number; group?: number },
  fused: boolean,
  masks?: Tensor[],
  norm?: LayerNorm,
): Scalar {
  const { gmf, mlp, rows } = towers(tf, w, params, batch.users, batch.items, masks, norm);
  const { labels: y, group } = batch;
  const bce = (logits: Tensor) => tf.mean(tf.add(tf.softplus(logits), tf.mul(y, tf.neg(logits))));
  // Pairwise: rows come in groups of an observed pair and its negatives; softplus(s_neg − s_pos).
  const bpr = (logits: Tensor) => {
    const g = tf.reshape(logits, [-1, group!]);
    return tf.mean(tf.softplus(tf.sub(tf.slice(g, [0, 1], [-1, -1]), tf.slice(g, [0, 0], [-1, 1]))));
  };
  const towerLoss = group ? bpr : bce;
  const loss = fused
    ? towerLoss(tf.add(tf.add(gmf, mlp), w.get("outBias")))
    : // Pre-training: each tower learns on its own (disjoint weights, so one step trains both).
      tf.add(towerLoss(tf.add(gmf, w.get("outBias"))), towerLoss(mlp));
  return (params.embeddingReg > 0 ? tf.add(loss, tf.mul(squaredNormPerPair(tf, rows, batch.n), params.embeddingReg)) : loss) as Scalar;
}

/** Sum of the squared norms of the looked-up embedding rows, per pair of the batch (`n` pairs). */
function squaredNormPerPair(tf: Tf, rows: Tensor[], n: number): Tensor {
  return tf.div(tf.addN(rows.map((r) => tf.sum(tf.square(r)))), n);
}

/**
 * The GMF tower's logit (p_u ⊙ h) · q_i from a snapshot of its weights: the scorer of dynamic
 * negative sampling — 2 × factors flops a candidate, where the MLP tower would cost thousands.
 */
export function gmfScore(w: Weights, factors: number): PairScore {
  const users = w.get("gmfUser").dataSync() as Float32Array, items = w.get("gmfItem").dataSync() as Float32Array;
  const out = w.get("gmfOut").dataSync() as Float32Array;
  const weighted = new Float32Array(users.length);
  for (let k = 0; k < users.length; k++) weighted[k] = users[k] * out[k % factors];
  return (u, j) => {
    let x = 0;
    for (let f = 0, a = u * factors, b = j * factors; f < factors; f++) x += weighted[a + f] * items[b + f];
    return x;
  };
}

/** Every observed pair (label 1) followed by `negatives.count` sampled unobserved items (label 0). */
function samplePairs(
  h: UserHistory,
  positives: Int32Array,
  entryUser: Int32Array,
  negatives: { count: number; candidates: number; score: PairScore | null },
  numItems: number,
  rng: Rng,
  users: Int32Array,
  items: Int32Array,
  labels: Float32Array,
): void {
  let k = 0;
  for (let e = 0; e < positives.length; e++) {
    const u = entryUser[e];
    users[k] = u;
    items[k] = positives[e];
    labels[k++] = 1;
    const start = h.indptr[u], end = h.indptr[u + 1];
    for (let n = 0; n < negatives.count; n++) {
      const j = bestOfNegatives(negatives.score, negatives.candidates, u, positives, start, end, numItems, rng);
      users[k] = u;
      items[k] = j;
      labels[k++] = 0;
    }
  }
}

/**
 * Pre-training, then the fused model: the training loss is the sum of the two towers' own losses
 * before fusion and the fused model's one loss after, so the curve steps down where they meet.
 */
export function neumfTrainingPhases(p: Pick<NeuMfParams, "pretrainEpochs" | "epochs">): TrainingPhase[] {
  const pretrain = Math.min(p.pretrainEpochs, p.epochs);
  if (pretrain <= 0 || pretrain >= p.epochs) return [];
  return [
    {
      fromEpoch: pretrain + 1,
      label: "towers fused",
      detail: `Epochs 1–${pretrain} pre-train the GMF and MLP towers separately, and the training loss is the sum of their two losses; from epoch ${pretrain + 1} the fused NeuMF is fine-tuned and the loss is its own, so the curve steps down there.`,
    },
  ];
}

export const neumfDefinition: ModelDefinition<typeof neumfParamsSchema> = {
  id: "neumf",
  displayName: "NeuMF",
  summary: "Neural collaborative filtering: a generalised-MF tower and an MLP tower fused into one logistic output, trained on sampled negatives.",
  paper: {
    authors: "Xiangnan He, Lizi Liao, Hanwang Zhang, Liqiang Nie, Xia Hu, Tat-Seng Chua",
    title: "Neural Collaborative Filtering",
    venue: "WWW",
    year: 2017,
    url: "https://arxiv.org/abs/1708.05031",
  },
  feedback: "implicit",
  input: "pairs",
  training: "epochs",
  engine: "tfjs",
  paramsSchema: neumfParamsSchema,
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => neumfMemoryBytes(params, numUsers, numItems, numInteractions),
  trainingPhases: neumfTrainingPhases,
  create: (params, numUsers, numItems) => new NeuMf(params, numUsers, numItems),
};
