// BPR-MF: Rendle, Freudenthaler, Gantner & Schmidt-Thieme, "BPR: Bayesian personalized ranking
// from implicit feedback", UAI 2009. Matrix factorisation (plus an optional item bias) trained
// by SGD on uniformly sampled (user, positive, negative) triples to maximise ln σ(x̂_ui − x̂_uj).
import { z } from "zod";
import { INTERRUPT_STEPS } from "../training/interrupt";
import { ReplayableRng } from "../training/seeding";
import type { FitContext, ModelDefinition, ModelState, Recommender, TrainingData } from "./types";
import { randomFactors, scoreAllItems } from "./shared/factors";
import { BPR_PARALLEL_MIN_TRIPLES, fitBprParallel } from "./shared/bpr-parallel";
import { bprUpdate, negativePicker } from "./shared/bpr-step";
import { sortedPositives } from "./shared/negative-sampling";
import { notFitted, readFloat32 } from "./shared/state";

export const bprParamsSchema = z.object({
  factors: z.number().int().min(1).max(1024).default(64).describe("Latent dimensions per user and item. Count."),
  epochs: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .describe("Maximum epochs; one epoch samples as many triples as there are training interactions. Count."),
  learningRate: z.number().positive().max(10).default(0.15).describe("SGD step size at epoch 1. Per sampled triple."),
  learningRateDecay: z
    .number()
    .positive()
    .max(1)
    .default(0.9)
    .describe("Multiplies the step size after every epoch (1 = constant). Factor per epoch."),
  regularization: z.number().min(0).default(0.02).describe("L2 penalty on the factors touched by a triple. Per update."),
  itemBias: z.boolean().default(true).describe("Learn a per-item bias term (a popularity prior) besides the factors."),
  biasRegularization: z.number().min(0).default(0.01).describe("L2 penalty on the item biases. Per update."),
  initStd: z.number().min(0).default(0.1).describe("Standard deviation of the normal initialisation of the factors."),
  negativeCandidates: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe("Uniform candidates drawn per triple; the highest-scoring becomes the negative (dynamic negative sampling, Zhang et al. 2013). 1 = the paper's uniform sampling. Count."),
});

export type BprParams = z.infer<typeof bprParamsSchema>;

class BprMf implements Recommender {
  private userFactors: Float32Array | null = null;
  private itemFactors: Float32Array | null = null;
  private itemBias: Float32Array | null = null;
  /** Draws taken from the training stream so far (saved, so a checkpoint can resume it). */
  private rngDraws = 0;

  constructor(
    private readonly params: BprParams,
    private readonly numUsers: number,
    private readonly numItems: number,
  ) {}

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { factors: dim, epochs, regularization: reg, biasRegularization: biasReg } = this.params;
    const numItems = this.numItems;
    const startEpoch = ctx.startEpoch ?? 1;
    // One random stream for initialisation and every epoch; a run resumed from a checkpoint
    // replays it up to the checkpoint's draw count, so it continues exactly where it stopped.
    const rng = new ReplayableRng(ctx.seed);
    if (startEpoch > 1 && this.userFactors && this.itemFactors && this.itemBias) {
      rng.skip(this.rngDraws);
    } else {
      this.userFactors = randomFactors(this.numUsers, dim, this.params.initStd, rng);
      this.itemFactors = randomFactors(numItems, dim, this.params.initStd, rng);
      this.itemBias = new Float32Array(numItems);
    }
    const { userFactors: p, itemFactors: q, itemBias: bias } = this;
    const useBias = this.params.itemBias;

    const { indptr } = data.train;
    const { positives, entryUser } = sortedPositives(data.train, data.numUsers);
    const n = positives.length;
    const hyper = { dim, numItems, useBias, reg, biasReg, negativeCandidates: this.params.negativeCandidates };
    const threads = ctx.threads ?? 1;
    if (threads > 1) {
      // Several threads: users partitioned, item arrays merged every few thousand triples
      // (./shared/bpr-parallel.ts); deterministic for a seed and a thread count.
      const decay = this.params.learningRateDecay, base = this.params.learningRate;
      await fitBprParallel(
        {
          hyper,
          threads,
          numUsers: data.numUsers,
          indptr,
          positives,
          entryUser,
          userFactors: p,
          itemFactors: q,
          itemBias: bias,
          epochs,
          learningRateAt: (epoch) => base * decay ** (epoch - 1),
        },
        ctx,
      );
      return;
    }
    let lr = this.params.learningRate;
    for (let e = 1; e < startEpoch; e++) lr *= this.params.learningRateDecay;
    const pickNegative = negativePicker(hyper, p, q, bias);
    for (let epoch = startEpoch; epoch <= epochs; epoch++) {
      let lossSum = 0;
      for (let s = 0; s < n; s++) {
        // Cancellation is looked at every INTERRUPT_STEPS updates (a "batch" of SGD steps).
        if (s % INTERRUPT_STEPS === INTERRUPT_STEPS - 1 && ctx.interrupted && (await ctx.interrupted())) return;
        const entry = rng.int(n);
        const u = entryUser[entry];
        const start = indptr[u], end = indptr[u + 1];
        if (end - start >= numItems) continue;
        const i = positives[entry];
        const j = pickNegative(u, positives, start, end, rng);
        lossSum += bprUpdate(hyper, p, q, bias, u, i, j, lr);
      }
      lr *= this.params.learningRateDecay;
      this.rngDraws = rng.draws;
      const decision = await ctx.onEpoch?.({ epoch, totalEpochs: epochs, loss: n > 0 ? lossSum / n : 0 });
      if (decision?.stop) break;
    }
  }

  score(users: Int32Array, out: Float32Array): void {
    const { userFactors, itemFactors, itemBias } = this;
    if (!userFactors || !itemFactors || !itemBias) throw notFitted("BPR");
    scoreAllItems(
      { dim: this.params.factors, numItems: this.numItems, userFactors, itemFactors, itemBias: this.params.itemBias ? itemBias : undefined },
      users,
      out,
    );
  }

  save(): ModelState {
    const { userFactors, itemFactors, itemBias } = this;
    if (!userFactors || !itemFactors || !itemBias) throw notFitted("BPR");
    return { json: { factors: this.params.factors, rngDraws: this.rngDraws }, arrays: { userFactors, itemFactors, itemBias } };
  }

  load(state: ModelState): void {
    const dim = this.params.factors;
    this.userFactors = readFloat32(state, "userFactors", this.numUsers * dim);
    this.itemFactors = readFloat32(state, "itemFactors", this.numItems * dim);
    this.itemBias = readFloat32(state, "itemBias", this.numItems);
    this.rngDraws = typeof state.json.rngDraws === "number" ? state.json.rngDraws : 0;
  }
}

export const bprDefinition: ModelDefinition<typeof bprParamsSchema> = {
  id: "bpr",
  displayName: "BPR-MF",
  summary: "Matrix factorisation trained to rank each user's items above items they have not interacted with (pairwise BPR loss).",
  paper: {
    authors: "Steffen Rendle, Christoph Freudenthaler, Zeno Gantner, Lars Schmidt-Thieme",
    title: "BPR: Bayesian personalized ranking from implicit feedback",
    venue: "UAI",
    year: 2009,
    url: "https://arxiv.org/abs/1205.2618",
  },
  feedback: "implicit",
  input: "pairs",
  training: "epochs",
  engine: "js",
  paramsSchema: bprParamsSchema,
  create: (params, numUsers, numItems) => new BprMf(params, numUsers, numItems),
  // One epoch samples as many triples as there are training interactions.
  parallelFit: (params, size) => ({ work: params.epochs * size.numInteractions, minWork: BPR_PARALLEL_MIN_TRIPLES }),
};
