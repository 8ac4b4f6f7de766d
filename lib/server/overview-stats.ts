import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";

export interface OverviewStats {
  datasets: number;
  runs: number;
  /** Queued or running. */
  active: number;
  succeeded: number;
}

/**
 * The overview's counts, counted by the database (one COUNT and one GROUP BY status): the page
 * used to load up to 500 runs with their configs to count them, which was slow for a busy team and
 * wrong past 500.
 */
export async function getOverviewStats(principal: Principal): Promise<OverviewStats> {
  const db = getDb();
  const where = teamScope(principal);
  const [datasets, byStatus] = await Promise.all([db.dataset.count({ where }), db.run.groupBy({ by: ["status"], where, _count: { _all: true } })]);
  const count = (...statuses: string[]) => byStatus.filter((g) => statuses.includes(g.status)).reduce((sum, g) => sum + g._count._all, 0);
  return { datasets, runs: byStatus.reduce((sum, g) => sum + g._count._all, 0), active: count("QUEUED", "RUNNING"), succeeded: count("SUCCEEDED") };
}
