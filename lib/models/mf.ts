// Biased matrix factorisation: Koren, Bell & Volinsky, "Matrix factorization techniques for
// recommender systems", IEEE Computer 2009. Predicts r̂_ui = μ + b_u + b_i + p_u·q_i, fitted by
// SGD on the squared error of explicit ratings (the "SVD" of the Netflix Prize, Funk 2006).
import { z } from "zod";
import { INTERRUPT_STEPS } from "../training/interrupt";
import { ReplayableRng } from "../training/seeding";
import type { FitContext, ModelDefinition, ModelState, Recommender, TrainingData } from "./types";
import { dot, randomFactors, scoreAllItems } from "./shared/factors";
import { notFitted, readFloat32, readNumber } from "./shared/state";

export const mfParamsSchema = z.object({
  factors: z.number().int().min(1).max(1024).default(50).describe("Latent dimensions per user and item. Count."),
  epochs: z.number().int().min(1).max(10_000).default(80).describe("Passes over the training ratings (each in a fresh random order). Count."),
  learningRate: z.number().positive().max(1).default(0.015).describe("SGD step size at epoch 1. Per update."),
  learningRateDecay: z
    .number()
    .positive()
    .max(1)
    .default(0.98)
    .describe("Multiplies the step size after every epoch (1 = constant). Factor per epoch."),
  regularization: z.number().min(0).default(0.12).describe("L2 penalty on user and item factors. Per update."),
  biasRegularization: z.number().min(0).default(0.01).describe("L2 penalty on user and item biases. Per update."),
  initStd: z.number().min(0).default(0.1).describe("Standard deviation of the normal initialisation of the factors."),
});

export type MfParams = z.infer<typeof mfParamsSchema>;

class BiasedMf implements Recommender {
  private globalMean = 0;
  /** Draws the initialisation took from the training stream (a resumed run skips them). */
  private initDraws = 0;
  private minRating = -Infinity;
  private maxRating = Infinity;
  private userBias: Float32Array | null = null;
  private itemBias: Float32Array | null = null;
  private userFactors: Float32Array | null = null;
  private itemFactors: Float32Array | null = null;

  constructor(
    private readonly params: MfParams,
    private readonly numUsers: number,
    private readonly numItems: number,
  ) {}

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { factors: dim, epochs, regularization: reg, biasRegularization: biasReg } = this.params;
    const { users, items, ratings } = data.trainTable;
    const n = ratings.length;
    const startEpoch = ctx.startEpoch ?? 1;
    // One random stream for initialisation and every epoch's shuffle (each shuffle permutes the
    // previous order). A resumed run replays the stream: the initialisation draws, then the
    // shuffles of the epochs before the checkpoint.
    const rng = new ReplayableRng(ctx.seed);
    const resuming = startEpoch > 1 && this.userFactors !== null;
    if (resuming) {
      rng.skip(this.initDraws);
    } else {
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let t = 0; t < n; t++) {
        sum += ratings[t];
        if (ratings[t] < min) min = ratings[t];
        if (ratings[t] > max) max = ratings[t];
      }
      this.globalMean = n > 0 ? sum / n : 0;
      this.minRating = n > 0 ? min : -Infinity;
      this.maxRating = n > 0 ? max : Infinity;
      this.userBias = new Float32Array(this.numUsers);
      this.itemBias = new Float32Array(this.numItems);
      this.userFactors = randomFactors(this.numUsers, dim, this.params.initStd, rng);
      this.itemFactors = randomFactors(this.numItems, dim, this.params.initStd, rng);
      this.initDraws = rng.draws;
    }
    const { userBias: bu, itemBias: bi, userFactors: p, itemFactors: q } = this.scorer();
    const mu = this.globalMean;
    const order = new Int32Array(n);
    for (let t = 0; t < n; t++) order[t] = t;
    let lr = this.params.learningRate;
    for (let e = 1; e < startEpoch; e++) {
      rng.shuffle(order);
      lr *= this.params.learningRateDecay;
    }
    for (let epoch = startEpoch; epoch <= epochs; epoch++) {
      rng.shuffle(order);
      let squaredError = 0;
      for (let t = 0; t < n; t++) {
        if (t % INTERRUPT_STEPS === INTERRUPT_STEPS - 1 && ctx.interrupted && (await ctx.interrupted())) return;
        const row = order[t];
        const u = users[row], i = items[row];
        const pu = u * dim, qi = i * dim;
        const err = ratings[row] - (mu + bu[u] + bi[i] + dot(p, pu, q, qi, dim));
        squaredError += err * err;
        bu[u] += lr * (err - biasReg * bu[u]);
        bi[i] += lr * (err - biasReg * bi[i]);
        for (let f = 0; f < dim; f++) {
          const puf = p[pu + f], qif = q[qi + f];
          p[pu + f] += lr * (err * qif - reg * puf);
          q[qi + f] += lr * (err * puf - reg * qif);
        }
      }
      lr *= this.params.learningRateDecay;
      const decision = await ctx.onEpoch?.({ epoch, totalEpochs: epochs, loss: n > 0 ? squaredError / n : 0 });
      if (decision?.stop) break;
    }
  }

  score(users: Int32Array, out: Float32Array): void {
    scoreAllItems(this.scorer(), users, out);
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    const s = this.scorer();
    const out = new Float32Array(users.length);
    for (let t = 0; t < users.length; t++) {
      const u = users[t], i = items[t];
      const r = s.globalBias + s.userBias[u] + s.itemBias[i] + dot(s.userFactors, u * s.dim, s.itemFactors, i * s.dim, s.dim);
      out[t] = Math.min(this.maxRating, Math.max(this.minRating, r));
    }
    return out;
  }

  save(): ModelState {
    const s = this.scorer();
    return {
      json: { globalMean: this.globalMean, minRating: this.minRating, maxRating: this.maxRating, factors: s.dim, initDraws: this.initDraws },
      arrays: { userBias: s.userBias, itemBias: s.itemBias, userFactors: s.userFactors, itemFactors: s.itemFactors },
    };
  }

  load(state: ModelState): void {
    const dim = this.params.factors;
    this.globalMean = readNumber(state, "globalMean");
    this.minRating = readNumber(state, "minRating");
    this.maxRating = readNumber(state, "maxRating");
    this.userBias = readFloat32(state, "userBias", this.numUsers);
    this.itemBias = readFloat32(state, "itemBias", this.numItems);
    this.userFactors = readFloat32(state, "userFactors", this.numUsers * dim);
    this.itemFactors = readFloat32(state, "itemFactors", this.numItems * dim);
    this.initDraws = typeof state.json.initDraws === "number" ? state.json.initDraws : 0;
  }

  private scorer() {
    const { userBias, itemBias, userFactors, itemFactors } = this;
    if (!userBias || !itemBias || !userFactors || !itemFactors) throw notFitted("MF");
    return {
      dim: this.params.factors,
      numItems: this.numItems,
      globalBias: this.globalMean,
      userBias,
      itemBias,
      userFactors,
      itemFactors,
    };
  }
}

export const mfDefinition: ModelDefinition<typeof mfParamsSchema> = {
  id: "mf",
  displayName: "MF",
  summary: "Biased matrix factorisation: predicts a rating as global mean + user bias + item bias + a dot product of latent factors.",
  paper: {
    authors: "Yehuda Koren, Robert Bell, Chris Volinsky",
    title: "Matrix factorization techniques for recommender systems",
    venue: "IEEE Computer",
    year: 2009,
    url: "https://doi.org/10.1109/MC.2009.263",
  },
  feedback: "explicit",
  input: "pairs",
  training: "epochs",
  engine: "js",
  paramsSchema: mfParamsSchema,
  create: (params, numUsers, numItems) => new BiasedMf(params, numUsers, numItems),
};
