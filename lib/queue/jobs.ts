import { z } from "zod";
import { syntheticLimitsSchema } from "../datasets/synthetic";
import { defineJob } from "./define-job";

/** Train one run (dataset x split x model x params) and evaluate it. */
export const trainRunJob = defineJob("train-run", z.object({ runId: z.string().min(1) }));

/**
 * Finish an experiment once all its runs settled: select the best trial and evaluate it on test
 * once, or aggregate folds, or compute ablation deltas. Enqueued exactly once per experiment.
 */
export const finalizeExperimentJob = defineJob("finalize-experiment", z.object({ experimentId: z.string().min(1) }));

/**
 * Who a job works for. Jobs the API starts on a user's behalf carry it in their payload, so
 * GET /api/jobs/:id shows them to that team only; run and experiment jobs are reached through
 * their run or experiment instead.
 */
export const jobOwnerSchema = z.object({
  teamId: z.string().min(1).describe("Team the result belongs to"),
  createdById: z.string().min(1).nullable().describe("User who started the job (null in single-user mode)"),
});
export type JobOwner = z.infer<typeof jobOwnerSchema>;

/** The owner recorded in a job's payload, or null for jobs that have none. */
export function jobOwnerOf(payload: unknown): JobOwner | null {
  const parsed = z.object({ owner: jobOwnerSchema }).safeParse(payload);
  return parsed.success ? parsed.data.owner : null;
}

/** Generate a synthetic dataset (options within SYNTHETIC_LIMITS) and store it for the owner's team. */
export const generateSyntheticJob = defineJob(
  "generate-synthetic",
  z.object({ name: z.string().trim().min(1).max(200), options: syntheticLimitsSchema, owner: jobOwnerSchema }),
);

/**
 * Sweep a re-ranker's λ over a finished run's stored candidates and store the trade-off curve
 * with the run. λ values are checked against the re-ranker's own schema when the job is queued.
 */
export const rerankSweepJob = defineJob(
  "rerank-sweep",
  z.object({
    runId: z.string().min(1),
    rerankerId: z.string().min(1),
    lambdas: z.array(z.number()).min(1).max(21),
    params: z.record(z.unknown()).default({}),
    k: z.number().int().min(1).max(100),
    owner: jobOwnerSchema,
  }),
);

/**
 * Simulate an A/B test on its dataset: refit each run arm's model, build the simulator, run the
 * test and analyse it. The spec was checked against AB_LIMITS when the test was created.
 */
export const simulateAbTestJob = defineJob("simulate-ab-test", z.object({ abTestId: z.string().min(1), owner: jobOwnerSchema }));

/**
 * Read an uploaded A/B log (stored in the database by the upload route, lib/ab-tests/log-parts.ts)
 * and analyse it; no result is stored unless every row is valid. The log's bytes are removed once
 * the job has ended for good.
 */
export const importAbLogJob = defineJob("import-ab-log", z.object({ abTestId: z.string().min(1), owner: jobOwnerSchema }));

export const jobDefinitions = [trainRunJob, finalizeExperimentJob, generateSyntheticJob, rerankSweepJob, simulateAbTestJob, importAbLogJob] as const;
