/**
 * Bandit and RL recommenders that learn online from slot outcomes (issue 11, item 5), offered
 * as A/B arms through createBanditPolicy. Every policy shows K distinct items outside the
 * visitor's history and learns from the examined slots of the slates it showed.
 *
 * They are NOT entries of the model registry (lib/models/registry.ts). A registry run is judged
 * offline on held-out interactions, while these policies' value is what they learn from their
 * own slates: offline, a bandit reduces to its warm start (for the linear ones, a learned
 * similarity between an item's ALS vector and the history's), a weaker copy of the ALS model
 * its vectors come from. A registry entry also needs an explainer, a memory estimate and a
 * saved state; if wanted later, fit() would replay the training rows as reward 1 with sampled
 * negatives as 0 into the same RidgeRegression and score() would return θ̂·φ.
 * Item vectors are learned from the training matrix (item-features.ts), never from the
 * simulator's ground truth.
 */
import { z } from "zod";
import type { Csr } from "../../datasets/types";
import { badInput, formatZodIssues } from "../../errors";
import type { SlatePolicy } from "../../simulation/types";
import { loadTensorflow } from "../../training/tf-backend";
import { DqnPolicy } from "./dqn";
import { EpsilonGreedyPolicy } from "./epsilon-greedy";
import { learnItemFeatures, popularityFeatures, type ItemFeatures } from "./item-features";
import { LinearThompsonPolicy, LinUcbPolicy } from "./linear";

export const BANDIT_KINDS = ["epsilon-greedy", "linucb", "thompson", "dqn"] as const;
export type BanditKind = (typeof BANDIT_KINDS)[number];

const embeddingDim = z
  .number()
  .int()
  .min(2)
  .max(64)
  .default(16)
  .describe("Dimensions of the item vectors learned from the training matrix (implicit ALS, fixed seed). Count.");
const historyWindow = z.number().int().min(1).max(200).default(20).describe("Most recent history items whose mean vector is the user context (state). Count.");

const linearShape = {
  embeddingDim,
  historyWindow,
  lambda: z.number().positive().max(1000).default(1).describe("Ridge penalty λ: prior precision of the shared weights θ."),
};

const epsilonSchema = z.object({
    epsilon: z.number().min(0).max(1).default(0.1).describe("Probability that a slot shows a random unseen item instead of the greedy one."),
    prior: z
      .enum(["constant", "popularity"])
      .default("constant")
      .describe("Prior mean click rate of an item: the initial value for all (constant), or the initial value × the item's training popularity."),
    initialValue: z.number().min(0).max(1).default(1).describe("Prior mean click rate; 1 with the constant prior is optimistic (every unseen item is tried)."),
    priorWeight: z.number().min(0).max(1000).default(1).describe("How many examinations the prior counts as."),
});
const linucbSchema = z.object({
    ...linearShape,
    alpha: z.number().min(0).max(10).default(0.5).describe("Width of the upper confidence bound: score = θ̂·φ + α·√(φᵀA⁻¹φ)."),
});
const thompsonSchema = z.object({
    ...linearShape,
    posteriorScale: z.number().min(0).max(10).default(0.3).describe("Scale v of the posterior draw θ̃ ~ N(θ̂, v²A⁻¹); 0 is greedy."),
});
const dqnSchema = z.object({
    embeddingDim,
    historyWindow,
    hidden: z.number().int().min(4).max(256).default(32).describe("Hidden units of the state network f(s). Count."),
    learningRate: z.number().positive().max(1).default(0.003).describe("Adam learning rate."),
    gamma: z.number().min(0).max(0.99).default(0.3).describe("Discount γ of the next state's value (0: a contextual bandit)."),
    replayCapacity: z.number().int().min(100).max(200_000).default(20_000).describe("Transitions kept in the replay buffer. Count."),
    batchSize: z.number().int().min(1).max(512).default(32).describe("Transitions per gradient step. Count."),
    updatesPerObserve: z.number().int().min(0).max(8).default(1).describe("Gradient steps after each observed slate (bounds the cost per visit). Count."),
    targetSyncEvery: z.number().int().min(1).max(10_000).default(200).describe("Gradient steps between copies of the online network to the target network. Count."),
    epsilonStart: z.number().min(0).max(1).default(0.5).describe("Initial exploration probability per slot."),
    epsilonEnd: z.number().min(0).max(1).default(0.05).describe("Exploration probability it decays to."),
    epsilonDecayVisits: z.number().int().min(1).max(10_000_000).default(2000).describe("Visits over which ε decays by a factor e towards its end value. Count."),
    dwellWeight: z.number().min(0).max(10).default(0.5).describe("Dwell bonus: reward = click + weight × min(dwell / cap, 1)."),
    dwellCapSeconds: z.number().positive().max(36_000).default(300).describe("Dwell time at which the bonus saturates. Seconds."),
});

/** Parameters of each bandit kind, with defaults and .describe() text (the A/B form reads them). */
export const banditParamsSchemas: Record<BanditKind, z.ZodObject<z.ZodRawShape>> = {
  "epsilon-greedy": epsilonSchema,
  linucb: linucbSchema,
  thompson: thompsonSchema,
  dqn: dqnSchema,
};

export interface BanditContext {
  numItems: number;
  numUsers: number;
  train: Csr;
  seed: number;
}

/** A policy that learns online from the outcomes it observes (observe() is implemented). */
export async function createBanditPolicy(kind: BanditKind, params: Record<string, unknown>, context: BanditContext): Promise<SlatePolicy> {
  const parsed = parseBanditParams(kind, params);
  if (context.train.numRows !== context.numUsers || context.train.numCols !== context.numItems || context.numItems < 1) {
    throw badInput(`the training matrix is ${context.train.numRows} × ${context.train.numCols} but the bandit was asked for ${context.numUsers} users × ${context.numItems} items`);
  }
  // ε-greedy uses only the items' training popularity: no embedding to learn.
  const features =
    typeof parsed.embeddingDim === "number"
      ? learnItemFeatures(context.train, context.numItems, { dim: parsed.embeddingDim, seed: context.seed })
      : popularityFeatures(context.train, context.numItems);
  return banditOnFeatures(kind, parsed, features, context.seed);
}

/** Validated parameters of a bandit kind (defaults filled in); bad input names the field. */
export function parseBanditParams(kind: BanditKind, params: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(banditParamsSchemas, kind)) throw badInput(`unknown bandit kind "${kind}"; available: ${BANDIT_KINDS.join(", ")}`);
  const result = banditParamsSchemas[kind].safeParse(params);
  if (!result.success) throw badInput(`bandit "${kind}" parameters: ${formatZodIssues(result.error.issues, "params")}`);
  return result.data;
}

/**
 * A policy over given item features: createBanditPolicy learns them from the training matrix
 * first; tests and the synthetic bench pass an environment's true features.
 */
export async function banditOnFeatures(kind: BanditKind, params: Record<string, unknown>, features: ItemFeatures, seed: number): Promise<SlatePolicy> {
  const valid = parseBanditParams(kind, params);
  switch (kind) {
    case "epsilon-greedy": {
      const o = epsilonSchema.parse(valid);
      const priorMean = new Float64Array(features.numItems).fill(o.initialValue);
      if (o.prior === "popularity") for (let i = 0; i < priorMean.length; i++) priorMean[i] *= features.popularity[i];
      return new EpsilonGreedyPolicy({ numItems: features.numItems, epsilon: o.epsilon, priorMean, priorWeight: o.priorWeight, seed });
    }
    case "linucb": {
      const o = linucbSchema.parse(valid);
      return new LinUcbPolicy({ features, lambda: o.lambda, historyWindow: o.historyWindow, seed }, o.alpha);
    }
    case "thompson": {
      const o = thompsonSchema.parse(valid);
      return new LinearThompsonPolicy({ features, lambda: o.lambda, historyWindow: o.historyWindow, seed }, o.posteriorScale);
    }
    case "dqn": {
      const { tf } = await loadTensorflow();
      return new DqnPolicy(tf, { ...dqnSchema.parse(valid), features, seed });
    }
  }
}
