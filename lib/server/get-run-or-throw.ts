import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { notFound } from "../errors";
import type { RunDetail } from "./dto";
import { runInclude, toRunDetail } from "./run-views";
import { getTracking } from "./services";

/** A run the principal may see; other teams' runs are NOT_FOUND. */
export async function getRunOrThrow(id: string, principal: Principal): Promise<RunDetail> {
  const db = getDb();
  const row = await db.run.findFirst({ where: { id, ...teamScope(principal) }, include: runInclude });
  if (!row) throw notFound(`run ${id} does not exist`);
  const job = row.jobId
    ? await db.job.findUnique({
        where: { id: row.jobId },
        select: { id: true, status: true, attempts: true, maxAttempts: true, progressMessage: true, error: true, cancelRequested: true },
      })
    : null;
  return toRunDetail(row, job);
}

/** Learning curves of a run, downsampled for charts. */
export async function getRunHistory(id: string, principal: Principal, maxPoints = 500) {
  await getRunOrThrow(id, principal);
  return getTracking().getMetricHistory(id, { maxPoints });
}
