import { z } from "zod";
import { defineJob } from "./define-job";

/** Train one run (dataset x split x model x params) and evaluate it. */
export const trainRunJob = defineJob("train-run", z.object({ runId: z.string().min(1) }));

/**
 * Finish an experiment once all its runs settled: select the best trial and evaluate it on test
 * once, or aggregate folds, or compute ablation deltas. Enqueued exactly once per experiment.
 */
export const finalizeExperimentJob = defineJob("finalize-experiment", z.object({ experimentId: z.string().min(1) }));

export const jobDefinitions = [trainRunJob, finalizeExperimentJob] as const;
