import "server-only";
import { getDb } from "../db/client";
import { notFound } from "../errors";
import { getQueue } from "./services";

/**
 * Deletes a dataset and everything derived from it (blobs, runs, metric history, artefacts,
 * by cascade); queued or running jobs of its runs are cancelled first.
 */
export async function deleteDataset(id: string): Promise<{ deletedRuns: number }> {
  const db = getDb();
  const dataset = await db.dataset.findUnique({ where: { id }, include: { runs: { select: { jobId: true } } } });
  if (!dataset) throw notFound(`dataset ${id} does not exist`);
  const queue = getQueue();
  for (const run of dataset.runs) {
    if (run.jobId) await queue.cancel(run.jobId).catch(() => undefined);
  }
  await db.dataset.delete({ where: { id } });
  return { deletedRuns: dataset.runs.length };
}
