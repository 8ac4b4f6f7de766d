import type { Db } from "../db/client";
import { notFound } from "../errors";
import { getModelDefinition } from "../models/registry";
import { trainRunJob } from "../queue/jobs";
import type { JobQueue } from "../queue/types";
import { EXPERIMENT_KIND_LABELS, launchExperimentSchema, type LaunchExperimentInput } from "./experiment-spec";
import { planExperiment } from "./plan-experiment";
import { applyAutoDefaults, datasetShape } from "./auto-params";
import { runListColumns } from "../tracking/list-columns";

export interface ExperimentOwner {
  teamId?: string;
  createdById?: string | null;
}

/**
 * Plans an experiment, stores it with one run per trial / fold / variant (each with its resolved
 * configuration) and queues one train-run job per run, so any number of workers share the
 * trials. Nothing is left behind when planning or queueing fails.
 */
export async function launchExperiment(db: Db, queue: JobQueue, input: LaunchExperimentInput, owner: ExperimentOwner = {}): Promise<{ id: string; runs: number }> {
  const parsed = launchExperimentSchema.parse(input);
  const dataset = await db.dataset.findFirst({
    where: { id: parsed.datasetId, ...(owner.teamId ? { teamId: owner.teamId } : {}) },
    select: { id: true, name: true, teamId: true, numUsers: true, numItems: true, numInteractions: true },
  });
  if (!dataset) throw notFound(`dataset ${parsed.datasetId} does not exist`);
  // Settings left on auto adapt to the dataset; searched params are set by each trial instead.
  const searched = "space" in parsed.spec ? Object.keys(parsed.spec.space) : [];
  const base = applyAutoDefaults(parsed.base, datasetShape(dataset), searched) as typeof parsed.base;
  const plan = planExperiment(base, parsed.spec, parsed.selectionMetric);
  const model = getModelDefinition(plan.base.modelId);
  const name = parsed.name || `${EXPERIMENT_KIND_LABELS[parsed.spec.kind]} · ${model.displayName} on ${dataset.name}`;
  const experiment = await db.experiment.create({
    data: {
      name,
      kind: parsed.spec.kind,
      datasetId: dataset.id,
      modelId: plan.base.modelId,
      baseConfig: JSON.stringify(plan.base),
      spec: JSON.stringify({ ...parsed.spec, finalFit: parsed.finalFit }),
      selectionMetric: plan.selectionMetric,
      totalRuns: plan.runs.length,
      splitKind: parsed.spec.kind === "cv" ? "k-fold" : plan.base.split.kind,
      teamId: dataset.teamId,
      createdById: owner.createdById ?? null,
    },
  });
  try {
    for (const planned of plan.runs) {
      const run = await db.run.create({
        data: {
          name: `${model.displayName} ${planned.label}`,
          datasetId: dataset.id,
          modelId: planned.config.modelId,
          config: JSON.stringify(planned.config),
          ...runListColumns(planned.config),
          experimentId: experiment.id,
          role: planned.role,
          trialIndex: planned.trialIndex,
          teamId: dataset.teamId,
          createdById: owner.createdById ?? null,
        },
      });
      const job = await queue.enqueue(trainRunJob.name, trainRunJob.schema.parse({ runId: run.id }));
      await db.run.update({ where: { id: run.id }, data: { jobId: job.id } });
    }
  } catch (error) {
    const jobIds = (await db.run.findMany({ where: { experimentId: experiment.id }, select: { jobId: true } })).map((r) => r.jobId);
    for (const jobId of jobIds) if (jobId) await queue.cancel(jobId).catch(() => undefined);
    await db.experiment.delete({ where: { id: experiment.id } });
    throw error;
  }
  return { id: experiment.id, runs: plan.runs.length };
}
