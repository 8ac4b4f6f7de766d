import { getDb } from "../../lib/db/client";
import { loadDataset } from "../../lib/storage/dataset-repository";
import type { Dataset } from "../../lib/datasets/types";
import { runConfigSchema, runExperiment } from "../../lib/experiments/run-experiment";
import { encodePerUser, VALIDATION_PER_USER_ARTIFACT } from "../../lib/metrics/per-user";
import { markExperimentRunning, recordSearchTrial, settleExperimentRun } from "../../lib/experiments/experiment-lifecycle";
import { DbJobQueue } from "../../lib/queue/db-queue";
import type { JobQueue } from "../../lib/queue/types";
import { CANDIDATES_ARTIFACT, encodeCandidates } from "../../lib/fairness/candidates";
import { getModelDefinition } from "../../lib/models/registry";
import { trainRunJob } from "../../lib/queue/jobs";
import { PrismaTrackingStore } from "../../lib/tracking/prisma-store";
import type { RunStatus, TrackingStore } from "../../lib/tracking/types";
import { AppError } from "../../lib/errors";
import { CHECKPOINT_ARTIFACT, decodeCheckpoint, encodeCheckpoint, type Checkpoint, type CheckpointHook } from "../../lib/training/checkpoint";
import { loadTensorflow, runBackendLabel } from "../../lib/training/tf-backend";
import { TrainingSuspendedError } from "../../lib/training/train-model";
import { JobCancelledError, JobReleasedError, type JobContext, type JobHandler } from "../worker";
import { isHigherBetter, metricLabel } from "../../lib/metrics/registry";
import { TrainingEta } from "../../lib/training/eta";
import { CANCEL_REQUEST_ARTIFACT, decodeCancelRequest } from "../../lib/tracking/cancel-request";
import { encodeRunLists, TOP_LISTS_ARTIFACT } from "../../lib/fairness/run-lists";
import { encodeExplanations, EXPLANATIONS_ARTIFACT } from "../../lib/fairness/explanations";
import { logger } from "../../lib/ops/logger";

const SETTLED_RUN: readonly RunStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** What a train-run needs from the outside; the handler passes Prisma-backed ones, tests fakes. */
export interface TrainRunDeps {
  tracking: TrackingStore;
  loadDataset(datasetId: string): Promise<Dataset>;
}

/**
 * Trains and evaluates one run, logging the validation learning curve epoch by epoch. Training
 * checkpoints go to the run's "checkpoint" artefact; a re-run of the job (after a lost worker)
 * resumes from the latest one and keeps the learning curve up to its epoch.
 */
export async function executeTrainRun(runId: string, ctx: JobContext, deps: TrainRunDeps) {
  const { tracking } = deps;
  const run = await tracking.getRun(runId);
  if (!run) throw new AppError("NOT_FOUND", `run ${runId} does not exist`);
  // An earlier attempt already settled the run and lost its job's lease before completing the
  // job (a worker stalled past its lease, a database outage longer than it): the job comes
  // round again. Training again would reset a finished run another component may already have
  // read (an experiment's finalisation), so the work counts as done.
  if (SETTLED_RUN.includes(run.status)) return { runId, skipped: `the run had already ended (${run.status}) in an earlier attempt` };
  const config = runConfigSchema.parse(run.config);
  const definition = getModelDefinition(config.modelId);

  let resumeFrom: Checkpoint | null = null;
  // A later attempt, or a job released by a worker's shutdown (its attempt given back, the run
  // left RUNNING): resume from the checkpoint.
  if (ctx.job.attempts > 1 || run.status !== "QUEUED") {
    const bytes = await tracking.getArtifact(runId, CHECKPOINT_ARTIFACT);
    resumeFrom = bytes && bytes.length > 0 ? decodeCheckpoint(bytes) : null;
    // A re-run after a lost worker starts clean, except for the curve up to the checkpoint,
    // which the resumed training continues rather than repeats.
    const kept = resumeFrom ? await tracking.getMetricHistory(runId) : {};
    await tracking.resetRun(runId);
    const upTo = resumeFrom?.epoch ?? 0;
    const points = Object.entries(kept).flatMap(([key, series]) => series.filter((p) => p.step <= upTo).map((p) => ({ key, step: p.step, value: p.value })));
    if (points.length > 0) await tracking.logBatch(runId, points);
  }

  const backend = definition.engine === "tfjs" ? runBackendLabel((await loadTensorflow()).backend) : "js";
  await tracking.markRunning(runId, backend);
  await ctx.reportProgress(0, resumeFrom ? `loading dataset (resuming after epoch ${resumeFrom.epoch})` : "loading dataset");
  const dataset = await deps.loadDataset(run.datasetId);

  const checkpoint: CheckpointHook = {
    async load() {
      return resumeFrom;
    },
    async save(c) {
      await tracking.saveArtifact(runId, CHECKPOINT_ARTIFACT, encodeCheckpoint(c));
    },
  };

  const eta = new TrainingEta({ patience: config.patience, evalEvery: config.evalEvery, higherIsBetter: isHigherBetter(config.monitor) });
  const result = await runExperiment(dataset, config, {
    async onEpoch(p) {
      const points = Object.entries(p.metrics).map(([key, value]) => ({ key: `validation/${key}`, step: p.epoch, value }));
      if (p.loss !== undefined && Number.isFinite(p.loss)) points.push({ key: "train/loss", step: p.epoch, value: p.loss });
      await tracking.logBatch(runId, points);
      const fraction = p.epoch / p.totalEpochs;
      eta.observe({ elapsedSeconds: p.elapsedSeconds, monitor: p.metrics[config.monitor] });
      const message = `epoch ${p.epoch}/${p.totalEpochs} · ${eta.message(p.epoch, p.totalEpochs, metricLabel(config.monitor))}`;
      // Training is 90% of the bar; evaluation on test takes the rest.
      await tracking.setProgress(runId, 0.9 * fraction, message);
      await ctx.reportProgress(0.9 * fraction, message);
    },
    shouldStop: () => ctx.isCancelled(),
    isCancelled: () => ctx.isCancelled(),
    evaluateOnCancel: async () => decodeCancelRequest(await tracking.getArtifact(runId, CANCEL_REQUEST_ARTIFACT)).evaluateBest,
    async onPhase(phase) {
      const text = { split: "splitting", fit: "training", evaluate: config.evaluateTest ? "evaluating on test" : "evaluating on validation" }[phase];
      await ctx.reportProgress(phase === "evaluate" ? 0.9 : 0, text);
    },
    checkpoint,
    suspend: () => ctx.isStopping?.() ?? false,
  }).catch((error: unknown) => {
    if (error instanceof TrainingSuspendedError) throw new JobReleasedError(`${error.message} (worker shutting down)`);
    throw error;
  });
  if (result.cancelled && (result.validation ?? result.test).numUsers === 0) throw new JobCancelledError();
  if (!result.cancelled && ctx.isCancelled()) throw new JobCancelledError();

  if (result.validation) await tracking.saveArtifact(runId, VALIDATION_PER_USER_ARTIFACT, encodePerUser(result.validation.perUser));
  else await tracking.saveArtifact(runId, "per-user-metrics", encodePerUser(result.test.perUser));
  if (result.candidates) await tracking.saveArtifact(runId, CANDIDATES_ARTIFACT, encodeCandidates(result.candidates));
  if (result.test.lists) await tracking.saveArtifact(runId, TOP_LISTS_ARTIFACT, encodeRunLists(result.test.lists));
  // Explanations are a convenience: a failure is logged and the page says they are unavailable.
  const log = ctx.log ?? logger.child({ runId });
  if (result.explanationError) log.warn({ reason: result.explanationError }, "explanations unavailable");
  if (result.explanations) {
    try {
      await tracking.saveArtifact(runId, EXPLANATIONS_ARTIFACT, encodeExplanations(result.explanations));
    } catch (error) {
      log.warn({ err: error }, "explanations not stored");
    }
  }
  const evaluated = result.validation ?? result.test;
  const best = result.history.find((h) => h.epoch === result.fit.bestEpoch);
  const metrics = {
    test: result.test.summary,
    validation: { ...result.validation?.summary, ...best?.metrics }, // trials: + beyond-accuracy metrics
    fit: result.fit,
    evaluation: { seconds: evaluated.seconds, users: evaluated.numUsers },
    ...(result.splitTies ? { split: { ties: result.splitTies } } : {}),
  };
  // Cancelled with "evaluate the best epoch": its metrics stay with the run, which still ends CANCELLED.
  if (result.cancelled) {
    await tracking.finishRun(runId, metrics, "CANCELLED");
    throw new JobCancelledError();
  }
  await tracking.finishRun(runId, metrics);
  return { runId, ndcg10: result.test.summary["ndcg@10"] ?? null };
}

export const trainRunHandler: JobHandler = {
  async handle(payload: unknown, ctx: JobContext) {
    const { runId } = trainRunJob.schema.parse(payload);
    const db = getDb();
    const experimentId = await experimentOf(runId);
    if (experimentId) await markExperimentRunning(db, experimentId);
    const result = await executeTrainRun(runId, ctx, { tracking: new PrismaTrackingStore(db), loadDataset: (id) => loadDataset(db, id) });
    if (experimentId) {
      await recordSearchTrial(db, experimentId, runId);
      await settleExperimentRun(db, ctx.queue ?? new DbJobQueue(db), experimentId);
    }
    return result;
  },

  async onFailed(payload, message, queue) {
    const parsed = trainRunJob.schema.safeParse(payload);
    if (parsed.success) await new PrismaTrackingStore(getDb()).failRun(parsed.data.runId, "FAILED", message);
    if (parsed.success) await settleAfter(parsed.data.runId, queue);
  },

  async onCancelled(payload, queue) {
    const parsed = trainRunJob.schema.safeParse(payload);
    if (parsed.success) await new PrismaTrackingStore(getDb()).failRun(parsed.data.runId, "CANCELLED", null);
    if (parsed.success) await settleAfter(parsed.data.runId, queue);
  },
};

/** The experiment a run belongs to, if any. */
async function experimentOf(runId: string): Promise<string | null> {
  const row = await getDb().run.findUnique({ where: { id: runId }, select: { experimentId: true } });
  return row?.experimentId ?? null;
}

/** A run of an experiment settled without succeeding: the experiment may now be complete. */
async function settleAfter(runId: string, queue: JobQueue): Promise<void> {
  const experimentId = await experimentOf(runId);
  if (experimentId) await settleExperimentRun(getDb(), queue, experimentId);
}
