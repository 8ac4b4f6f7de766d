import { z } from "zod";
import { defineJob } from "./define-job";

/** Train one run (dataset x split x model x params) and evaluate it. */
export const trainRunJob = defineJob("train-run", z.object({ runId: z.string().min(1) }));

export const jobDefinitions = [trainRunJob] as const;
