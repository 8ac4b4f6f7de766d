import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import type { RunSummary } from "./dto";
import { newestFirst, olderThan } from "../db/keyset-pages";
import { runInclude, toRunSummary } from "./run-views";

export interface RunsFilter {
  datasetId?: string;
  status?: string;
  /** Leave out runs with these roles (e.g. an experiment's trials and folds); standalone runs have none. */
  excludeRoles?: string[];
  /** Newest first, at most this many (default and cap 500). */
  limit?: number;
  /** Only runs older than this one (keyset paging: the last run of the previous page). */
  olderThan?: { createdAt: Date; id: string };
}

/** Prisma `where` of the runs `filter` keeps (its `limit` aside), in the principal's team. */
export function runsWhere(principal: Principal, filter: RunsFilter) {
  const { datasetId, status, excludeRoles } = filter;
  return {
    ...teamScope(principal),
    ...(datasetId ? { datasetId } : {}),
    ...(status ? { status } : {}),
    // NOT IN drops NULLs in SQL, so standalone runs (no role) are asked for explicitly.
    ...(excludeRoles?.length ? { OR: [{ role: null }, { role: { notIn: excludeRoles } }] } : {}),
    ...(filter.olderThan ? { AND: [olderThan("createdAt", filter.olderThan)] } : {}),
  };
}

export async function listRuns(principal: Principal, filter: RunsFilter = {}): Promise<RunSummary[]> {
  const db = getDb();
  const rows = await db.run.findMany({ where: runsWhere(principal, filter), include: runInclude, orderBy: newestFirst("createdAt"), take: Math.min(filter.limit ?? 500, 500) });
  const jobIds = rows.map((r) => r.jobId).filter((id): id is string => id !== null);
  const jobs = await db.job.findMany({
    where: { id: { in: jobIds } },
    select: { id: true, status: true, attempts: true, maxAttempts: true, progressMessage: true, error: true },
  });
  const byId = new Map(jobs.map((j) => [j.id, j]));
  return rows.map((row) => toRunSummary(row, row.jobId ? byId.get(row.jobId) : null));
}
