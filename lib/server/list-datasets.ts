import "server-only";
import { getDb } from "../db/client";
import type { DatasetSummary } from "./dto";

export async function listDatasets(): Promise<DatasetSummary[]> {
  const rows = await getDb().dataset.findMany({
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { runs: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    source: row.source,
    feedback: row.feedback,
    numUsers: row.numUsers,
    numItems: row.numItems,
    numInteractions: row.numInteractions,
    sparsity: 1 - row.numInteractions / Math.max(1, row.numUsers * row.numItems),
    hasTimestamps: row.hasTimestamps,
    createdAt: row.createdAt.toISOString(),
    runCount: row._count.runs,
  }));
}
