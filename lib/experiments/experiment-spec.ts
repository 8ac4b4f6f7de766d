import { z } from "zod";
import { searchSpaceSchema } from "./search-space";

/**
 * An experiment: dataset × split × model × a plan of many runs. Grid and random search select a
 * configuration on validation and evaluate it on test once; k-fold cross-validation reports
 * mean ± std over folds; an ablation study compares variants of a base configuration.
 */
export const EXPERIMENT_KINDS = ["grid", "random", "cv", "ablation"] as const;
export type ExperimentKind = (typeof EXPERIMENT_KINDS)[number];

export const EXPERIMENT_KIND_LABELS: Record<ExperimentKind, string> = {
  grid: "Grid search",
  random: "Random search",
  cv: "Cross-validation",
  ablation: "Ablation",
};

/** What a run does inside its experiment. */
export const RUN_ROLES = ["trial", "final", "fold", "variant"] as const;
export type RunRole = (typeof RUN_ROLES)[number];

/** Most runs one experiment may plan. */
export const MAX_EXPERIMENT_RUNS = 500;

export const ablationVariantSchema = z.object({
  name: z.string().trim().min(1).max(80).describe("What is switched off or replaced, e.g. 'no item bias'"),
  params: z.record(z.unknown()).describe("Hyperparameters that differ from the base configuration, e.g. { itemBias: false }"),
});

/** Repeats of every configuration of a search: k-fold cross-validation and several model seeds. */
const searchRepeats = {
  folds: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(1)
    .describe("1: trials on the base split; K ≥ 2: every configuration on K per-user folds (validation inside each fold), selected on the mean, the winner evaluated on the K test folds"),
  foldSeed: z.number().int().default(42).describe("Seed of the per-user fold assignment (folds ≥ 2)"),
  seeds: z
    .array(z.number().int())
    .min(1)
    .max(10)
    .optional()
    .describe("Model seeds every configuration runs with (default: the base seed); selection on the mean over seeds"),
};

export const experimentSpecSchema = z.discriminatedUnion("kind", [
  z
    .object({ kind: z.literal("grid"), space: searchSpaceSchema, ...searchRepeats })
    .describe("Grid search: one trial per combination of the listed values (× folds × seeds)"),
  z
    .object({
      kind: z.literal("random"),
      space: searchSpaceSchema,
      trials: z.number().int().min(1).max(MAX_EXPERIMENT_RUNS).default(20).describe("Number of configurations to draw"),
      seed: z.number().int().default(0).describe("Seed of the draws (the runs keep the base config's seed)"),
      ...searchRepeats,
    })
    .describe("Random search: configurations drawn from lists, uniform and log-uniform ranges (× folds × seeds)"),
  z
    .object({
      kind: z.literal("cv"),
      folds: z.number().int().min(2).max(20).default(5).describe("Number of folds K"),
      seed: z.number().int().default(42).describe("Seed of the per-user fold assignment"),
      validationRatio: z.number().min(0).max(0.5).default(0.1).describe("Share of each user's non-test rows held out for early stopping"),
    })
    .describe("k-fold cross-validation with per-user folds: every metric as mean ± std, per-fold values kept"),
  z
    .object({
      kind: z.literal("ablation"),
      variants: z.array(ablationVariantSchema).min(1).max(20).describe("Components to switch off or replace, one variant each"),
      seeds: z.array(z.number().int()).min(1).max(10).default([42]).describe("Model seeds; base and every variant run with each"),
    })
    .describe("Ablation study: the base and each variant run with the same seeds; metric deltas against the base with 95% CIs"),
]);

export type ExperimentSpec = z.output<typeof experimentSpecSchema>;
export type ExperimentSpecInput = z.input<typeof experimentSpecSchema>;

export const launchExperimentSchema = z.object({
  datasetId: z.string().min(1).describe("Dataset to run on"),
  name: z.string().trim().max(200).optional().describe("Display name; defaults to '<kind> <model> on <dataset>'"),
  base: z
    .record(z.unknown())
    .describe("Base run configuration (modelId, params, split, ks, monitor, seed); trials vary it"),
  spec: experimentSpecSchema,
  selectionMetric: z
    .string()
    .optional()
    .describe("Validation metric trials are ranked on (search) or the headline metric (cv, ablation); default: the base monitor"),
  finalFit: z
    .enum(["train", "train+validation"])
    .default("train")
    .describe("Search only: retrain the selected configuration on train (early stopping on validation) or on train+validation for the selected trial's epochs"),
});

export type LaunchExperimentInput = z.input<typeof launchExperimentSchema>;

/** Per-metric aggregate over cross-validation folds. */
export interface FoldAggregate {
  mean: number;
  std: number;
  folds: number[];
}

export interface AblationDelta {
  /** Variant minus base, mean over users (and seeds). */
  delta: number;
  /** 95% percentile bootstrap interval of the per-user delta; null for metrics without per-user values. */
  low: number | null;
  high: number | null;
  /** Paired t-test over users, Holm-corrected across the variants. */
  p: number | null;
}

/** What the finalize job stores on the experiment. */
export type ExperimentResult =
  | {
      kind: "search";
      selectionMetric: string;
      bestTrialRunId: string;
      /** Mean validation value of the selected configuration over its folds and seeds. */
      bestValidation: number;
      finalRunId: string;
      finalFit: "train" | "train+validation";
      /** Searches with folds ≥ 2: the selected configuration on every test fold, and mean ± std. */
      finalRunIds?: string[];
      foldMetrics?: Record<string, FoldAggregate>;
    }
  | { kind: "cv"; foldRunIds: string[]; metrics: Record<string, FoldAggregate> }
  | {
      kind: "ablation";
      seeds: number[];
      variants: { name: string; runIds: string[]; metrics: Record<string, number>; deltas: Record<string, AblationDelta> }[];
    };
