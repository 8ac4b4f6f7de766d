import "server-only";
import type { Principal } from "../auth/principal";
import { getDb } from "../db/client";
import type { CsvColumn } from "../reports/csv";
import type { RunSummary } from "./dto";
import { keysetPages, newestFirst } from "../db/keyset-pages";
import { listRuns, runsWhere } from "./list-runs";

/**
 * The runs CSV (GET /api/runs/export): every run the principal may see, newest first, with one
 * column per test metric any of them has. Two passes in keyset pages, so memory stays at one
 * page however many runs a team has: the first reads only the metrics JSON to learn the columns
 * and the count, the second streams the rows.
 */
export interface RunsExportFilter {
  datasetId?: string;
}

const BASE_COLUMNS: CsvColumn<RunSummary>[] = [
  { header: "run_id", value: (r) => r.id },
  { header: "name", value: (r) => r.name },
  { header: "model", value: (r) => r.modelName },
  { header: "dataset", value: (r) => r.datasetName },
  { header: "status", value: (r) => r.status },
  { header: "created_at", value: (r) => r.createdAt },
];

/** The sorted metric keys of every run's test metrics, and how many runs there are. */
export async function scanRunMetrics(principal: Principal, filter: RunsExportFilter, pageSize?: number): Promise<{ count: number; metricKeys: string[] }> {
  const keys = new Set<string>();
  let count = 0;
  const pages = keysetPages(
    (after: { id: string; createdAt: Date; metrics: string | null } | null, take) =>
      getDb().run.findMany({
        where: runsWhere(principal, { ...filter, ...(after ? { olderThan: after } : {}) }),
        select: { id: true, createdAt: true, metrics: true },
        orderBy: newestFirst("createdAt"),
        take,
      }),
    pageSize,
  );
  for await (const page of pages) {
    count += page.length;
    for (const row of page) for (const key of Object.keys(testMetricsOf(row.metrics))) keys.add(key);
  }
  return { count, metricKeys: [...keys].sort() };
}

function testMetricsOf(json: string | null): Record<string, unknown> {
  if (!json) return {};
  const test = (JSON.parse(json) as { test?: unknown }).test;
  return test && typeof test === "object" ? (test as Record<string, unknown>) : {};
}

export function runsExportColumns(metricKeys: string[]): CsvColumn<RunSummary>[] {
  return [...BASE_COLUMNS, ...metricKeys.map((key) => ({ header: key, value: (r: RunSummary) => r.metrics?.[key] }))];
}

/** The runs as pages of summaries, newest first, each page read when the previous one is consumed. */
export function runSummaryPages(principal: Principal, filter: RunsExportFilter, pageSize?: number): AsyncGenerator<RunSummary[]> {
  return keysetPages(
    (after: RunSummary | null, take) => listRuns(principal, { ...filter, limit: take, ...(after ? { olderThan: { createdAt: new Date(after.createdAt), id: after.id } } : {}) }),
    pageSize,
  );
}
