import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { describeStoredCleaning } from "../datasets/cleaning-summary";
import { datasetStatsSchema } from "../datasets/stats";
import { getDb } from "../db/client";
import { notFound } from "../errors";
import { toDatasetSummary } from "./dataset-views";
import type { DatasetDetail } from "./dto";

/** A dataset the principal may see; other teams' datasets are NOT_FOUND, not FORBIDDEN. */
export async function getDatasetOrThrow(id: string, principal: Principal): Promise<DatasetDetail> {
  const row = await getDb().dataset.findFirst({
    where: { id, ...teamScope(principal) },
    include: { _count: { select: { runs: true } } },
  });
  if (!row) throw notFound(`dataset ${id} does not exist`);
  const preprocessing: unknown = JSON.parse(row.preprocessing);
  return {
    ...toDatasetSummary(row, row._count.runs),
    ratingMin: row.ratingMin,
    ratingMax: row.ratingMax,
    stats: datasetStatsSchema.parse(JSON.parse(row.stats)),
    preprocessing,
    cleaning: describeStoredCleaning(preprocessing),
  };
}
