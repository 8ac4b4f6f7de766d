import "server-only";
import { datasetStatsSchema } from "../datasets/stats";
import { getDb } from "../db/client";
import { notFound } from "../errors";
import type { DatasetDetail } from "./dto";

export async function getDatasetOrThrow(id: string): Promise<DatasetDetail> {
  const row = await getDb().dataset.findUnique({
    where: { id },
    include: { _count: { select: { runs: true } } },
  });
  if (!row) throw notFound(`dataset ${id} does not exist`);
  return {
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
    ratingMin: row.ratingMin,
    ratingMax: row.ratingMax,
    stats: datasetStatsSchema.parse(JSON.parse(row.stats)),
    preprocessing: JSON.parse(row.preprocessing),
  };
}
