import { finalizeExperimentJob, generateSyntheticJob, importAbLogJob, rerankSweepJob, simulateAbTestJob, trainRunJob } from "../../lib/queue/jobs";
import type { JobHandler } from "../worker";

/** Job name -> lazily loaded handler, so a worker only loads what it runs. */
export const jobHandlers: Record<string, () => Promise<JobHandler>> = {
  [trainRunJob.name]: async () => (await import("./train-run")).trainRunHandler,
  [finalizeExperimentJob.name]: async () => (await import("./finalize-experiment")).finalizeExperimentHandler,
  [generateSyntheticJob.name]: async () => (await import("./generate-synthetic")).generateSyntheticHandler,
  [rerankSweepJob.name]: async () => (await import("./rerank-sweep")).rerankSweepHandler,
  [simulateAbTestJob.name]: async () => (await import("./simulate-ab-test")).simulateAbTestHandler,
  [importAbLogJob.name]: async () => (await import("./import-ab-log")).importAbLogHandler,
};
