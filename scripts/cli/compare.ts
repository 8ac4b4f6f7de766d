import type { Db } from "../../lib/db/client";
import { compareRuns, type ComparableRun, type RunComparison } from "../../lib/experiments/compare";
import { decodePerUser, PER_USER_ARTIFACT } from "../../lib/metrics/per-user";
import { metricLabel } from "../../lib/metrics/registry";
import { PrismaTrackingStore } from "../../lib/tracking/prisma-store";
import type { RunMetrics } from "../../lib/tracking/types";

/**
 * `reclab compare RUN RUN…`: the API's comparison (lib/experiments/compare.ts) on test, printed.
 * Pairs evaluated on different datasets, splits or users get the reason and no p-value, by the
 * same rule (lib/experiments/pairability.ts).
 */
export async function loadComparableRuns(db: Db, ids: string[]): Promise<ComparableRun[]> {
  const rows = await db.run.findMany({ where: { id: { in: ids } }, include: { dataset: { select: { name: true } } } });
  const tracking = new PrismaTrackingStore(db);
  return Promise.all(
    ids.map(async (id) => {
      const row = rows.find((r) => r.id === id);
      if (!row) throw new Error(`run ${id} does not exist`);
      if (row.status !== "SUCCEEDED" || !row.metrics) throw new Error(`run ${row.name} (${id}) has not finished`);
      const bytes = await tracking.getArtifact(id, PER_USER_ARTIFACT);
      return {
        id,
        name: row.name,
        datasetId: row.datasetId,
        datasetName: row.dataset.name,
        split: (JSON.parse(row.config) as { split?: unknown }).split ?? null,
        metrics: (JSON.parse(row.metrics) as RunMetrics).test,
        perUser: bytes ? decodePerUser(bytes) : null,
      };
    }),
  );
}

/** The comparison as printed lines: each run's interval, then every pair (a sentence or the reason). */
export function comparisonLines(runs: ComparableRun[], comparison: RunComparison): string[] {
  const name = new Map(runs.map((r) => [r.id, r.name]));
  const lines = [`${metricLabel(comparison.metric)} on test, bootstrap 95% intervals:`];
  for (const run of runs) {
    const ci = comparison.intervals.find((i) => i.runId === run.id);
    lines.push(`  ${run.name}: ${ci ? `${ci.estimate.toFixed(4)} [${ci.low.toFixed(4)}, ${ci.high.toFixed(4)}]` : "no per-user values"}`);
  }
  lines.push("Pairs:");
  for (const pair of comparison.pairs) {
    lines.push(pair.paired ? `  ${pair.sentence}` : `  ${name.get(pair.a)} vs ${name.get(pair.b)}: no paired test — ${pair.reason}`);
  }
  return lines;
}

export async function runCompareCommand(db: Db, ids: string[], metric: string): Promise<number> {
  if (ids.length < 2) {
    console.error("compare needs at least two run ids");
    return 1;
  }
  try {
    const runs = await loadComparableRuns(db, ids);
    for (const line of comparisonLines(runs, compareRuns(runs, metric))) console.log(line);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
