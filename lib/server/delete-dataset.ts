import "server-only";
import { recordAudit } from "../auth/audit";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { notFound } from "../errors";
import { getQueue } from "./services";

export interface DeletedDataset {
  deletedRuns: number;
  deletedBlobs: number;
  deletedMetricPoints: number;
  deletedArtifacts: number;
  deletedAbTests: number;
}

/**
 * Deletes a dataset and everything derived from it (blobs, runs, metric history, artefacts,
 * A/B tests simulated on it, by cascade); queued or running jobs of its runs and tests are
 * cancelled first.
 */
export async function deleteDataset(id: string, principal: Principal, ip?: string): Promise<DeletedDataset> {
  const db = getDb();
  const dataset = await db.dataset.findFirst({
    where: { id, ...teamScope(principal) },
    include: { runs: { select: { id: true, jobId: true } }, abTests: { select: { jobId: true } }, _count: { select: { blobs: true } } },
  });
  if (!dataset) throw notFound(`dataset ${id} does not exist`);
  const queue = getQueue();
  for (const { jobId } of [...dataset.runs, ...dataset.abTests]) {
    if (jobId) await queue.cancel(jobId).catch(() => undefined);
  }
  const runIds = dataset.runs.map((r) => r.id);
  const [metricPoints, artifacts] = await Promise.all([
    db.metricPoint.count({ where: { runId: { in: runIds } } }),
    db.runArtifact.count({ where: { runId: { in: runIds } } }),
  ]);
  // One delete; the schema cascades to blobs, runs, metric history, artefacts and A/B tests.
  await db.dataset.delete({ where: { id } });
  await recordAudit(db, { actor: principal, action: "dataset.delete", target: `dataset:${id}`, detail: dataset.name, ip });
  return { deletedRuns: runIds.length, deletedBlobs: dataset._count.blobs, deletedMetricPoints: metricPoints, deletedArtifacts: artifacts, deletedAbTests: dataset.abTests.length };
}
