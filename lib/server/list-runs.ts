import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import type { RunSummary } from "./dto";
import { runInclude, toRunSummary } from "./run-views";

export async function listRuns(principal: Principal, filter: { datasetId?: string } = {}): Promise<RunSummary[]> {
  const db = getDb();
  const rows = await db.run.findMany({ where: { ...filter, ...teamScope(principal) }, include: runInclude, orderBy: { createdAt: "desc" }, take: 500 });
  const jobIds = rows.map((r) => r.jobId).filter((id): id is string => id !== null);
  const jobs = await db.job.findMany({
    where: { id: { in: jobIds } },
    select: { id: true, status: true, attempts: true, maxAttempts: true, progressMessage: true, error: true },
  });
  const byId = new Map(jobs.map((j) => [j.id, j]));
  return rows.map((row) => toRunSummary(row, row.jobId ? byId.get(row.jobId) : null));
}
