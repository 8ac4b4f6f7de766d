import "server-only";
import { z } from "zod";
import { recordAudit } from "../auth/audit";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { notFound } from "../errors";
import { resolveRunConfig } from "../experiments/run-config";
import { applyAutoDefaults, datasetShape } from "../experiments/auto-params";
import { requireTimestampsFor } from "../experiments/prepare-data";
import { getModelDefinition } from "../models/registry";
import { trainRunJob } from "../queue/jobs";
import { getQueue, getTracking } from "./services";

export const launchRunSchema = z.object({
  datasetId: z.string().min(1).describe("Dataset to train on"),
  name: z.string().trim().max(200).optional().describe("Display name; defaults to '<model> on <dataset>'"),
  config: z.record(z.unknown()).describe("Run configuration: modelId, params, split, ks, monitor, seed (defaults filled in)"),
});

/**
 * Creates a run from a (partial) run configuration, stores the fully resolved configuration
 * (every default and the seed) so the run is reproducible from its row, and queues its job.
 * Settings left out (or "auto") get the dataset-adaptive defaults, recorded with their reasons.
 */
export async function launchRun(input: z.infer<typeof launchRunSchema>, principal: Principal, ip?: string) {
  const db = getDb();
  const dataset = await db.dataset.findFirst({
    where: { id: input.datasetId, ...teamScope(principal) },
    select: { id: true, name: true, teamId: true, hasTimestamps: true, numUsers: true, numItems: true, numInteractions: true },
  });
  if (!dataset) throw notFound(`dataset ${input.datasetId} does not exist`);
  const config = resolveRunConfig(applyAutoDefaults(input.config, datasetShape(dataset)));
  requireTimestampsFor(config.split, dataset.hasTimestamps);
  const model = getModelDefinition(config.modelId);
  const tracking = getTracking();
  const run = await tracking.createRun({
    name: input.name || `${model.displayName} on ${dataset.name}`,
    datasetId: dataset.id,
    modelId: config.modelId,
    config: config as unknown as Record<string, unknown>,
    teamId: dataset.teamId,
    createdById: principal.userId,
  });
  try {
    const job = await getQueue().enqueue(trainRunJob.name, trainRunJob.schema.parse({ runId: run.id }));
    await tracking.attachJob(run.id, job.id);
  } catch (error) {
    await db.run.delete({ where: { id: run.id } });
    throw error;
  }
  await recordAudit(db, { actor: principal, action: "run.launch", target: `run:${run.id}`, detail: `${config.modelId} on dataset:${dataset.id}`, ip });
  return { id: run.id };
}
