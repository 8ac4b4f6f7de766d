import { getDb } from "../../lib/db/client";
import { loadDataset } from "../../lib/storage/dataset-repository";
import { runConfigSchema, runExperiment } from "../../lib/experiments/run-experiment";
import { encodePerUser } from "../../lib/metrics/per-user";
import { trainRunJob } from "../../lib/queue/jobs";
import { PrismaTrackingStore } from "../../lib/tracking/prisma-store";
import { AppError } from "../../lib/errors";
import { JobCancelledError, type JobContext, type JobHandler } from "../worker";
import { formatEta } from "../../lib/util/format";

/** Trains and evaluates one run, logging the validation learning curve epoch by epoch. */
export const trainRunHandler: JobHandler = {
  async handle(payload: unknown, ctx: JobContext) {
    const { runId } = trainRunJob.schema.parse(payload);
    const db = getDb();
    const tracking = new PrismaTrackingStore(db);
    const run = await tracking.getRun(runId);
    if (!run) throw new AppError("NOT_FOUND", `run ${runId} does not exist`);
    // A re-run after a lost worker starts clean rather than mixing two attempts' curves.
    if (ctx.job.attempts > 1) await tracking.resetRun(runId);
    await tracking.markRunning(runId, "js");
    await ctx.reportProgress(0, "loading dataset");
    const dataset = await loadDataset(db, run.datasetId);
    const config = runConfigSchema.parse(run.config);

    const result = await runExperiment(dataset, config, {
      async onEpoch(p) {
        const points = Object.entries(p.metrics).map(([key, value]) => ({ key: `validation/${key}`, step: p.epoch, value }));
        if (p.loss !== undefined && Number.isFinite(p.loss)) points.push({ key: "train/loss", step: p.epoch, value: p.loss });
        await tracking.logBatch(runId, points);
        const fraction = p.epoch / p.totalEpochs;
        const eta = fraction > 0 ? (p.elapsedSeconds / fraction) * (1 - fraction) : NaN;
        const message = `epoch ${p.epoch}/${p.totalEpochs} · ETA ${formatEta(eta)}`;
        // Training is 90% of the bar; evaluation on test takes the rest.
        await tracking.setProgress(runId, 0.9 * fraction, message);
        await ctx.reportProgress(0.9 * fraction, message);
      },
      shouldStop: () => ctx.isCancelled(),
      async onPhase(phase) {
        const text = { split: "splitting", fit: "training", evaluate: "evaluating on test" }[phase];
        await ctx.reportProgress(phase === "evaluate" ? 0.9 : 0, text);
      },
    });
    if (ctx.isCancelled()) throw new JobCancelledError();

    await tracking.saveArtifact(runId, "per-user-metrics", encodePerUser(result.test.perUser));
    const best = result.history.find((h) => h.epoch === result.fit.bestEpoch);
    await tracking.finishRun(runId, {
      test: result.test.summary,
      validation: best?.metrics ?? {},
      fit: result.fit,
      evaluation: { seconds: result.test.seconds, users: result.test.numUsers },
    });
    return { runId, ndcg10: result.test.summary["ndcg@10"] ?? null };
  },

  async onFailed(payload, message) {
    const parsed = trainRunJob.schema.safeParse(payload);
    if (parsed.success) await new PrismaTrackingStore(getDb()).failRun(parsed.data.runId, "FAILED", message);
  },

  async onCancelled(payload) {
    const parsed = trainRunJob.schema.safeParse(payload);
    if (parsed.success) await new PrismaTrackingStore(getDb()).failRun(parsed.data.runId, "CANCELLED", null);
  },
};
