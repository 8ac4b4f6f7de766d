import { getDb } from "../../lib/db/client";
import { sweepRerank } from "../../lib/fairness/rerank-run";
import { rerankSweepJob } from "../../lib/queue/jobs";
import { loadDataset } from "../../lib/storage/dataset-repository";
import { loadRerankSetting, saveRerankCurve, type RerankDeps } from "../../lib/storage/rerank-repository";
import { PrismaTrackingStore } from "../../lib/tracking/prisma-store";
import { JobCancelledError, type JobContext, type JobHandler } from "../worker";

/**
 * Sweeps a re-ranker's λ over a finished run: loads the dataset, rebuilds the run's split
 * (10% of the bar), then re-ranks and evaluates at each λ, reporting progress and checking for
 * cancellation after every point. The curve is stored with the run; the result is a summary.
 */
export async function executeRerankSweep(payload: unknown, ctx: JobContext, deps: RerankDeps) {
  const { runId, rerankerId, lambdas, params, k } = rerankSweepJob.schema.parse(payload);
  const started = performance.now();
  await ctx.reportProgress(0, "loading the dataset and the run's candidates");
  const { setting } = await loadRerankSetting(deps, runId, k);
  if (ctx.isCancelled()) throw new JobCancelledError();
  await ctx.reportProgress(0.1, `λ 0 / ${lambdas.length}`);
  const curve = await sweepRerank(setting, { rerankerId, lambdas, params, k }, async (done, point) => {
    if (ctx.isCancelled()) throw new JobCancelledError();
    await ctx.reportProgress(0.1 + (0.9 * done) / lambdas.length, `λ ${done} / ${lambdas.length} (λ = ${point.lambda} done)`);
  });
  await saveRerankCurve(deps.tracking, runId, { ...curve, jobId: ctx.job.id, createdAt: new Date().toISOString() });
  return { runId, rerankerId, points: curve.points.length, seconds: (performance.now() - started) / 1000 };
}

export const rerankSweepHandler: JobHandler = {
  handle: (payload: unknown, ctx: JobContext) => {
    const db = getDb();
    return executeRerankSweep(payload, ctx, { tracking: new PrismaTrackingStore(db), loadDataset: (id) => loadDataset(db, id) });
  },
};
