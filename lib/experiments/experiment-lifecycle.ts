import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import { isHigherBetter } from "../metrics/registry";
import { finalizeExperimentJob } from "../queue/jobs";
import type { JobQueue } from "../queue/types";

/**
 * The experiment lifecycle: QUEUED -> RUNNING (its first run starts) -> SUCCEEDED | FAILED (set
 * by the finalize job) | CANCELLED (by a user). Transitions are compare-and-set updates on the
 * experiment row, so concurrent workers and a concurrent cancel cannot both win.
 */

const OPEN = ["QUEUED", "RUNNING"];
const SETTLED = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** QUEUED -> RUNNING, once, when the first of its runs starts. */
export async function markExperimentRunning(db: Db, experimentId: string): Promise<void> {
  await db.experiment.updateMany({ where: { id: experimentId, status: "QUEUED" }, data: { status: "RUNNING", startedAt: new Date() } });
}

/**
 * A trial of a grid or random search succeeded: its validation value of the selection metric
 * becomes the experiment's best so far if it beats it (compare-and-set in one statement, so two
 * workers finishing at once keep the better). The runs list shows it while the search runs.
 */
export async function recordSearchTrial(db: Db, experimentId: string, runId: string): Promise<void> {
  const [experiment, run] = await Promise.all([
    db.experiment.findUnique({ where: { id: experimentId }, select: { kind: true, selectionMetric: true } }),
    db.run.findUnique({ where: { id: runId }, select: { role: true, status: true, metrics: true } }),
  ]);
  if (!experiment || (experiment.kind !== "grid" && experiment.kind !== "random")) return;
  if (!run || run.role === "final" || run.status !== "SUCCEEDED" || !run.metrics) return;
  const metric = experiment.selectionMetric;
  const value = (JSON.parse(run.metrics) as { validation?: Record<string, number> }).validation?.[metric];
  if (typeof value !== "number" || !Number.isFinite(value)) return;
  const beaten = isHigherBetter(metric) ? { lt: value } : { gt: value };
  await db.experiment.updateMany({ where: { id: experimentId, OR: [{ bestSoFar: null }, { bestSoFar: beaten }] }, data: { bestSoFar: value } });
}

/**
 * Called whenever one of the experiment's runs settles (succeeded, failed for good, cancelled).
 * When every planned run has settled, queues the finalize job — exactly once: the job is
 * enqueued first and then claimed for the experiment by compare-and-set on `finalizeJobId`; the
 * loser of a race cancels its own job. A crash between the two leaves an unclaimed job that the
 * finalize handler ignores, and the re-run of the crashed run's job claims a fresh one.
 * Returns the finalize job id when this call queued it.
 */
export async function settleExperimentRun(db: Db, queue: JobQueue, experimentId: string): Promise<string | null> {
  const experiment = await db.experiment.findUnique({ where: { id: experimentId }, select: { status: true, totalRuns: true, finalizeJobId: true } });
  if (!experiment || experiment.finalizeJobId || !OPEN.includes(experiment.status)) return null;
  const settled = await db.run.count({ where: { experimentId, role: { not: "final" }, status: { in: SETTLED } } });
  if (settled < experiment.totalRuns) return null;
  const job = await queue.enqueue(finalizeExperimentJob.name, finalizeExperimentJob.schema.parse({ experimentId }), { priority: 1 });
  const { count } = await db.experiment.updateMany({
    where: { id: experimentId, finalizeJobId: null, status: { in: OPEN } },
    data: { finalizeJobId: job.id },
  });
  if (count === 1) return job.id;
  await queue.cancel(job.id);
  return null;
}

/** Ends an open experiment (FAILED with a reason, or SUCCEEDED with its result); false if it was no longer open. */
export async function closeExperiment(
  db: Db,
  experimentId: string,
  outcome: { status: "SUCCEEDED"; summary: unknown; bestRunId?: string | null } | { status: "FAILED"; error: string },
): Promise<boolean> {
  const { count } = await db.experiment.updateMany({
    where: { id: experimentId, status: { in: OPEN } },
    data:
      outcome.status === "SUCCEEDED"
        ? { status: "SUCCEEDED", summary: JSON.stringify(outcome.summary), bestRunId: outcome.bestRunId ?? null, error: null, finishedAt: new Date() }
        : { status: "FAILED", error: outcome.error, finishedAt: new Date() },
  });
  return count === 1;
}

/**
 * Cancels an open experiment: queued runs are cancelled at once, running ones stop at their
 * next epoch boundary (their workers see `cancelRequested`), and no finalize job will run.
 */
export async function cancelExperiment(db: Db, queue: JobQueue, experimentId: string, scope: { teamId?: string } = {}): Promise<{ status: "CANCELLED"; cancelledRuns: number; stoppingRuns: number }> {
  const experiment = await db.experiment.findFirst({ where: { id: experimentId, ...scope }, select: { status: true, finalizeJobId: true } });
  if (!experiment) throw notFound(`experiment ${experimentId} does not exist`);
  const { count } = await db.experiment.updateMany({
    where: { id: experimentId, status: { in: OPEN } },
    data: { status: "CANCELLED", finishedAt: new Date() },
  });
  if (count === 0) throw new AppError("CONFLICT", `experiment ${experimentId} is already ${experiment.status.toLowerCase()}`);
  const runs = await db.run.findMany({ where: { experimentId, status: { in: OPEN } }, select: { id: true, jobId: true } });
  let cancelledRuns = 0;
  let stoppingRuns = 0;
  for (const run of runs) {
    if (!run.jobId) continue;
    const job = await queue.cancel(run.jobId);
    if (job.status === "CANCELLED") {
      await db.run.updateMany({ where: { id: run.id, status: { in: OPEN } }, data: { status: "CANCELLED", finishedAt: new Date() } });
      cancelledRuns++;
    } else if (job.status === "RUNNING") stoppingRuns++;
  }
  if (experiment.finalizeJobId) await queue.cancel(experiment.finalizeJobId).catch(() => undefined);
  return { status: "CANCELLED", cancelledRuns, stoppingRuns };
}
