import { z } from "zod";
import { splitConfigSchema } from "../datasets/splits";
import { badInput } from "../errors";
import { getModelDefinition, listModels } from "../models/registry";
import { scoresUnseenUsers, userColdStartRefusal } from "./cold-start";
import { parseMonitor } from "../training/validation";
import { describeIssue } from "../util/field-labels";

/**
 * What a run is: dataset × split × model × hyperparameters, plus the evaluation settings. The
 * resolved form (every default filled in, model params included) is stored on the run, so the
 * run can be reproduced from its row alone.
 */
export const runConfigSchema = z.object({
  modelId: z.string().min(1).describe("Registered model id, e.g. item-knn"),
  params: z
    .record(z.unknown())
    .default({})
    .describe("Model hyperparameters; validated against the model's own schema, defaults filled"),
  split: splitConfigSchema.default({ kind: "random", ratios: [0.8, 0.1, 0.1], seed: 42 }).describe("How rows are cut into train / validation / test"),
  feedback: z
    .enum(["implicit", "explicit", "auto"])
    .default("auto")
    .describe("implicit: every interaction is a positive of value 1; explicit: ratings as given; auto: what the model learns from (the dataset's for models that take both)"),
  ks: z.array(z.number().int().min(1).max(1000)).min(1).max(10).default([5, 10, 20]).describe("Cut-offs K for ranking metrics"),
  monitor: z.string().default("ndcg@10").describe("Validation metric for early stopping and best-epoch selection, e.g. ndcg@10 or rmse"),
  evalEvery: z.number().int().min(1).default(1).describe("Evaluate on validation every this many epochs"),
  patience: z.number().int().min(1).default(5).describe("Stop after this many validation evaluations without improvement"),
  checkpointEvery: z
    .number()
    .int()
    .min(1)
    .default(5)
    .describe("Save a training checkpoint every this many epochs, so a job re-run after a lost worker resumes there"),
  seed: z.number().int().default(42).describe("Seed of model initialisation and sampling"),
  evaluateTest: z
    .boolean()
    .default(true)
    .describe("Evaluate on test after fitting. Search trials set false (validation only), so the test set is touched once, by the selected configuration"),
  auto: z
    .record(z.object({ value: z.union([z.number(), z.string(), z.boolean()]), reason: z.string() }))
    .optional()
    .describe("Settings chosen from the dataset's shape because the user left them on auto (lib/models/defaults/adaptive.ts): field -> value and why"),
  fitOn: z
    .enum(["train", "train+validation"])
    .default("train")
    .describe("train: validation rows drive early stopping; train+validation: refit on both for the model's full epochs without early stopping (retraining a selected configuration)"),
});

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.output<typeof runConfigSchema>;

/**
 * Validates a run config and fills every default, the model's hyperparameters included.
 * Unknown models are NOT_FOUND; bad fields are BAD_INPUT naming the field ("params.factors").
 */
export function resolveRunConfig(input: unknown): RunConfig {
  const parsed = runConfigSchema.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error, input, []);
  const config = parsed.data;
  const definition = getModelDefinition(config.modelId);
  const params = definition.paramsSchema.strict().safeParse(config.params);
  if (!params.success) throw fromZodError(params.error, config.params, ["params"]);
  parseMonitor(config.monitor);
  if (config.split.kind === "user-cold-start" && !scoresUnseenUsers(definition)) {
    const capable = listModels().filter(scoresUnseenUsers).map((m) => m.displayName);
    throw badInput(userColdStartRefusal(definition, capable), { field: "split.kind" });
  }
  if (config.fitOn === "train+validation" && !config.evaluateTest) {
    throw badInput("Evaluate on test: a run fitted on train+validation has no held-out validation to report; evaluate it on test", { field: "evaluateTest" });
  }
  return { ...config, ks: [...new Set(config.ks)].sort((a, b) => a - b), params: params.data };
}

/** BAD_INPUT in the words of the form's labels; `details.field` keeps the path ("params.factors"). */
function fromZodError(error: z.ZodError, input: unknown, prefix: string[]) {
  const { field, message } = describeIssue(error.issues[0], input, prefix);
  return badInput(message, { field, issues: error.issues });
}
