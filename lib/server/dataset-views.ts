import "server-only";
import type { Dataset } from "../generated/sqlite/client";
import type { DatasetSummary } from "./dto";

/** The list/detail view of a dataset row (runCount from a `_count` include). */
export function toDatasetSummary(row: Dataset, runCount: number): DatasetSummary {
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
    personalData: row.personalData,
    createdAt: row.createdAt.toISOString(),
    runCount,
  };
}
