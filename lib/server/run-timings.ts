import "server-only";
import { z } from "zod";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { estimateEpochCost, type PastTiming } from "../training/cost-model";
import { getDatasetOrThrow } from "./get-dataset-or-throw";

export const runTimingsQuerySchema = z.object({
  datasetId: z.string().min(1).describe("The dataset the new run will train on"),
  modelId: z.string().min(1).max(64).describe("The model the new run will train"),
});

/** Earlier runs read at most: the newest ones say most about this machine. */
const MAX_PAST_RUNS = 20;

/**
 * What earlier finished runs of a model on a dataset measured per epoch (fit seconds / epochs,
 * validation included) next to what the cost model estimates for their parameters; the run form
 * calibrates its estimate with the ratio (lib/training/cost-model.ts).
 */
export async function getRunTimings(query: z.output<typeof runTimingsQuerySchema>, principal: Principal): Promise<{ past: PastTiming[] }> {
  const dataset = await getDatasetOrThrow(query.datasetId, principal);
  const rows = await getDb().run.findMany({
    where: { datasetId: dataset.id, modelId: query.modelId, status: "SUCCEEDED", metrics: { not: null }, ...teamScope(principal) },
    select: { config: true, metrics: true },
    orderBy: { finishedAt: "desc" },
    take: MAX_PAST_RUNS,
  });
  const past: PastTiming[] = [];
  for (const row of rows) {
    const fit = (JSON.parse(row.metrics!) as { fit?: { seconds?: number; epochsRun?: number } }).fit;
    const params = (JSON.parse(row.config) as { params?: Record<string, unknown> }).params ?? {};
    if (!fit?.seconds || !fit.epochsRun) continue;
    past.push({
      secondsPerEpoch: fit.seconds / fit.epochsRun,
      estimatedSecondsPerEpoch: estimateEpochCost(query.modelId, params, dataset).secondsPerEpoch,
    });
  }
  return { past };
}
