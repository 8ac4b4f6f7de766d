import "server-only";
import { datasetStatsSchema } from "../datasets/stats";
import { getDb } from "../db/client";
import { notFound } from "../errors";
import { toDatasetSummary } from "./dataset-views";
import type { DatasetDetail } from "./dto";

export async function getDatasetOrThrow(id: string): Promise<DatasetDetail> {
  const row = await getDb().dataset.findUnique({
    where: { id },
    include: { _count: { select: { runs: true } } },
  });
  if (!row) throw notFound(`dataset ${id} does not exist`);
  return {
    ...toDatasetSummary(row, row._count.runs),
    ratingMin: row.ratingMin,
    ratingMax: row.ratingMax,
    stats: datasetStatsSchema.parse(JSON.parse(row.stats)),
    preprocessing: JSON.parse(row.preprocessing),
  };
}
