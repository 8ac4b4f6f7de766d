import { z } from "zod";

/**
 * Training controls shared by every deep (TensorFlow.js) model: a zod fragment for the params
 * schema (so the launch form shows them), and the learning-rate schedules. Optimizers live in
 * ./optimizers.ts. Usage in a model file:
 *
 *     const paramsSchema = z.object({ ...deepTrainingParams({ epochs: 200, batchSize: 500 }), hidden: ... });
 */

export const OPTIMIZERS = ["adam", "rmsprop", "sgd", "adagrad"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const SCHEDULES = ["constant", "step", "cosine"] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export interface DeepTrainingDefaults {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  momentum: number;
  schedule: ScheduleName;
  scheduleGamma: number;
  scheduleEvery: number;
  weightDecay: number;
  dropout: number;
}

const BASE_DEFAULTS: DeepTrainingDefaults = {
  epochs: 100,
  batchSize: 256,
  optimizer: "adam",
  learningRate: 1e-3,
  momentum: 0.9,
  schedule: "constant",
  scheduleGamma: 0.5,
  scheduleEvery: 20,
  weightDecay: 0,
  dropout: 0,
};

/**
 * The shared training hyperparameters as a zod raw shape, with a model's own defaults. Spread it
 * into the model's `z.object({...})`.
 */
export function deepTrainingParams(defaults: Partial<DeepTrainingDefaults> = {}) {
  const d = { ...BASE_DEFAULTS, ...defaults };
  return {
    epochs: z.number().int().min(1).max(10_000).default(d.epochs).describe("Maximum passes over the training data (early stopping may end sooner). Count."),
    batchSize: z.number().int().min(1).max(100_000).default(d.batchSize).describe("Training examples per gradient step (users for autoencoders, (user, item) pairs for NeuMF). Count."),
    optimizer: z.enum(OPTIMIZERS).default(d.optimizer).describe("Gradient optimizer: adam (AdamW-style decoupled weight decay), rmsprop, sgd (with momentum) or adagrad."),
    learningRate: z.number().positive().max(10).default(d.learningRate).describe("Step size at epoch 1, before the schedule. Per gradient step."),
    momentum: z.number().min(0).max(0.999).default(d.momentum).describe("Momentum of sgd and rmsprop (ignored by adam, adagrad). Fraction."),
    schedule: z.enum(SCHEDULES).default(d.schedule).describe("Learning-rate schedule over epochs: constant, step (× gamma every N epochs) or cosine (decays to 1% at the last epoch)."),
    scheduleGamma: z.number().positive().max(1).default(d.scheduleGamma).describe("Step schedule: factor applied every `scheduleEvery` epochs. Factor."),
    scheduleEvery: z.number().int().min(1).default(d.scheduleEvery).describe("Step schedule: epochs between learning-rate drops. Count."),
    weightDecay: z.number().min(0).max(1).default(d.weightDecay).describe("Weight decay: decoupled for adam (AdamW), an L2 gradient term for the others. Per step, × learning rate."),
    dropout: z.number().min(0).max(0.95).default(d.dropout).describe("Dropout rate during training (where the model applies it: input for autoencoders, hidden layers for NeuMF). Fraction."),
  };
}

/** The shared training params with their generic defaults. */
export const deepTrainingParamsSchema = z.object(deepTrainingParams());
export type DeepTrainingParams = z.infer<typeof deepTrainingParamsSchema>;

/**
 * Learning rate for a 1-based epoch. Schedules are per epoch (not per step) so a run resumed at
 * epoch e uses exactly the rate an uninterrupted run would.
 */
export function learningRateAt(params: Pick<DeepTrainingParams, "learningRate" | "schedule" | "scheduleGamma" | "scheduleEvery" | "epochs">, epoch: number): number {
  const base = params.learningRate;
  switch (params.schedule) {
    case "constant":
      return base;
    case "step":
      return base * params.scheduleGamma ** Math.floor((epoch - 1) / params.scheduleEvery);
    case "cosine": {
      const min = base * 0.01;
      const progress = params.epochs > 1 ? (epoch - 1) / (params.epochs - 1) : 0;
      return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * progress));
    }
  }
}
