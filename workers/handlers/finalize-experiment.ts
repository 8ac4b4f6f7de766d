import { getDb, type Db } from "../../lib/db/client";
import { closeExperiment } from "../../lib/experiments/experiment-lifecycle";
import { experimentSpecSchema, type ExperimentResult } from "../../lib/experiments/experiment-spec";
import { searchRepeats } from "../../lib/experiments/plan-experiment";
import { resolveRunConfig, runConfigSchema } from "../../lib/experiments/run-config";
import { ablationDeltas, aggregateFolds, selectBestConfiguration, type AblationGroup } from "../../lib/experiments/summarize";
import { AppError } from "../../lib/errors";
import { decodePerUser, PER_USER_ARTIFACT } from "../../lib/metrics/per-user";
import { getModelDefinition } from "../../lib/models/registry";
import { finalizeExperimentJob } from "../../lib/queue/jobs";
import { loadDataset } from "../../lib/storage/dataset-repository";
import { PrismaTrackingStore } from "../../lib/tracking/prisma-store";
import { runListColumns } from "../../lib/tracking/list-columns";
import type { RunMetrics } from "../../lib/tracking/types";
import { JobCancelledError, type JobContext, type JobHandler } from "../worker";
import { executeTrainRun } from "./train-run";

type Experiment = NonNullable<Awaited<ReturnType<Db["experiment"]["findUnique"]>>>;

/**
 * Finishes an experiment whose runs have all settled. Search: picks the best trial on the
 * validation metric, retrains that configuration as the "final" run and evaluates it on test —
 * the only test evaluation of the search. Cross-validation: mean ± std over folds. Ablation:
 * deltas against the base with bootstrap intervals. Idempotent: only the job recorded on the
 * experiment acts, a final run that already succeeded is not evaluated again, and the result is
 * written by compare-and-set on the experiment's status.
 */
export const finalizeExperimentHandler: JobHandler = {
  async handle(payload: unknown, ctx: JobContext) {
    const { experimentId } = finalizeExperimentJob.schema.parse(payload);
    const db = getDb();
    const experiment = await db.experiment.findUnique({ where: { id: experimentId } });
    if (!experiment) throw new AppError("NOT_FOUND", `experiment ${experimentId} does not exist`);
    if (experiment.finalizeJobId !== ctx.job.id) return { skipped: "another finalize job owns this experiment" };
    if (experiment.status !== "RUNNING" && experiment.status !== "QUEUED") return { skipped: `experiment is ${experiment.status.toLowerCase()}` };
    const spec = experimentSpecSchema.parse(JSON.parse(experiment.spec));
    const outcome =
      spec.kind === "grid" || spec.kind === "random"
        ? await finishSearch(db, experiment, ctx)
        : spec.kind === "cv"
          ? await finishCrossValidation(db, experiment)
          : await finishAblation(db, experiment, spec.variants.map((v) => v.name), spec.seeds);
    if (ctx.isCancelled()) throw new JobCancelledError();
    await closeExperiment(db, experimentId, outcome);
    return { experimentId, status: outcome.status };
  },

  async onFailed(payload, message) {
    const parsed = finalizeExperimentJob.schema.safeParse(payload);
    if (!parsed.success) return;
    const db = getDb();
    await closeExperiment(db, parsed.data.experimentId, { status: "FAILED", error: `finalising failed: ${message}` });
    await db.run.updateMany({ where: { experimentId: parsed.data.experimentId, role: "final", status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "FAILED", error: message, finishedAt: new Date() } });
  },

  async onCancelled(payload) {
    const parsed = finalizeExperimentJob.schema.safeParse(payload);
    if (!parsed.success) return;
    await getDb().run.updateMany({
      where: { experimentId: parsed.data.experimentId, role: "final", status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "CANCELLED", finishedAt: new Date() },
    });
  },
};

type Outcome = { status: "SUCCEEDED"; summary: ExperimentResult; bestRunId?: string | null } | { status: "FAILED"; error: string };

function metricsOf(row: { metrics: string | null }): RunMetrics {
  return JSON.parse(row.metrics ?? "null") as RunMetrics;
}

async function finishSearch(db: Db, experiment: Experiment, ctx: JobContext): Promise<Outcome> {
  const stored = JSON.parse(experiment.spec) as { finalFit?: "train" | "train+validation" };
  const spec = experimentSpecSchema.parse(stored);
  const finalFit = stored.finalFit ?? "train";
  const folds = spec.kind === "grid" || spec.kind === "random" ? spec.folds : 1;
  const trials = await db.run.findMany({ where: { experimentId: experiment.id, role: "trial", status: "SUCCEEDED" } });
  const outcomes = trials.map((t) => ({ id: t.id, trialIndex: t.trialIndex ?? 0, validation: metricsOf(t).validation, row: t }));
  const best = selectBestConfiguration(outcomes, experiment.selectionMetric, searchRepeats(spec));
  if (!best) return { status: "FAILED", error: trials.length === 0 ? "no trial succeeded" : `no trial reported validation ${experiment.selectionMetric}` };

  // One final run on the base split, or one per test fold when trials were cross-validated.
  const representatives = folds > 1 ? foldRepresentatives(best.trials) : [best.trials[0]];
  const existing = await db.run.findMany({ where: { experimentId: experiment.id, role: "final" }, orderBy: { createdAt: "asc" } });
  const finals = [];
  for (const [i, trial] of representatives.entries()) {
    let final = existing[i];
    if (!final) {
      const config = finalConfig(runConfigSchema.parse(JSON.parse(trial.row.config)), finalFit, metricsOf(trial.row).fit.bestEpoch);
      const where = folds > 1 ? ` · fold ${i + 1}/${folds}` : "";
      final = await db.run.create({
        data: {
          name: `${getModelDefinition(config.modelId).displayName} selected (trial ${best.trials[0].trialIndex + 1})${where} · test`,
          datasetId: experiment.datasetId,
          modelId: config.modelId,
          config: JSON.stringify(config),
          ...runListColumns(config),
          experimentId: experiment.id,
          role: "final",
          trialIndex: trial.trialIndex,
          jobId: ctx.job.id,
          teamId: experiment.teamId,
          createdById: experiment.createdById,
        },
      });
    }
    // Test is evaluated once: a final run that already succeeded (a retried finalize) is kept.
    if (final.status !== "SUCCEEDED") {
      await executeTrainRun(final.id, ctx, { tracking: new PrismaTrackingStore(db), loadDataset: (id) => loadDataset(db, id) });
      final = await db.run.findUniqueOrThrow({ where: { id: final.id } });
    }
    finals.push(final);
  }
  const foldMetrics = folds > 1 ? { finalRunIds: finals.map((f) => f.id), foldMetrics: aggregateFolds(finals.filter((f) => f.status === "SUCCEEDED").map((f) => ({ test: metricsOf(f).test }))) } : {};
  return {
    status: "SUCCEEDED",
    bestRunId: best.trials[0].id,
    summary: { kind: "search", selectionMetric: experiment.selectionMetric, bestTrialRunId: best.trials[0].id, bestValidation: best.mean, finalRunId: finals[0].id, finalFit, ...foldMetrics },
  };
}

/** The first trial (first seed) of each fold of the selected configuration, in fold order. */
function foldRepresentatives<T extends { row: { config: string } }>(trials: T[]): T[] {
  const byFold = new Map<number, T>();
  for (const t of trials) {
    const split = (JSON.parse(t.row.config) as { split?: { fold?: number } }).split;
    const fold = split?.fold ?? 0;
    if (!byFold.has(fold)) byFold.set(fold, t);
  }
  return [...byFold.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
}

/**
 * The selected trial's configuration, evaluated on test. Refitting on train+validation has no
 * validation for early stopping, so a model with an `epochs` hyperparameter trains for the
 * trial's best epoch count.
 */
export function finalConfig(trial: ReturnType<typeof resolveRunConfig>, finalFit: "train" | "train+validation", bestEpoch: number) {
  const definition = getModelDefinition(trial.modelId);
  const params = { ...trial.params };
  if (finalFit === "train+validation" && "epochs" in definition.paramsSchema.shape && bestEpoch > 0) params.epochs = bestEpoch;
  return resolveRunConfig({ ...trial, params, evaluateTest: true, fitOn: finalFit });
}

async function finishCrossValidation(db: Db, experiment: Experiment): Promise<Outcome> {
  const folds = await db.run.findMany({ where: { experimentId: experiment.id, role: "fold" }, orderBy: { trialIndex: "asc" } });
  const failed = folds.find((f) => f.status !== "SUCCEEDED");
  if (failed) return { status: "FAILED", error: `fold ${(failed.trialIndex ?? 0) + 1} did not succeed${failed.error ? `: ${failed.error}` : ""}` };
  return {
    status: "SUCCEEDED",
    summary: { kind: "cv", foldRunIds: folds.map((f) => f.id), metrics: aggregateFolds(folds.map((f) => ({ test: metricsOf(f).test }))) },
  };
}

async function finishAblation(db: Db, experiment: Experiment, variantNames: string[], seeds: number[]): Promise<Outcome> {
  const runs = await db.run.findMany({ where: { experimentId: experiment.id, role: "variant", status: "SUCCEEDED" }, orderBy: { trialIndex: "asc" } });
  const tracking = new PrismaTrackingStore(db);
  const names = ["base", ...variantNames];
  const groups: AblationGroup[] = names.map((name) => ({ name, runIds: [], runs: [] }));
  for (const run of runs) {
    const index = run.trialIndex ?? 0;
    const group = groups[Math.floor(index / seeds.length)];
    const bytes = await tracking.getArtifact(run.id, PER_USER_ARTIFACT);
    group.runIds.push(run.id);
    group.runs.push({ seed: seeds[index % seeds.length], test: metricsOf(run).test, perUser: bytes ? decodePerUser(bytes) : null });
  }
  if (groups[0].runs.length === 0) return { status: "FAILED", error: "no run of the base configuration succeeded" };
  const present = groups.filter((g, i) => i === 0 || g.runs.length > 0);
  return { status: "SUCCEEDED", summary: { kind: "ablation", seeds, variants: ablationDeltas(present) } };
}
