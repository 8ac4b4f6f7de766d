import "server-only";
import type { Dataset } from "../generated/sqlite/client";
import type { DatasetSummary } from "./dto";

/** The list/detail view of a dataset row (runCount from a `_count` include). */
export const datasetSummarySelect = {
  id: true,
  name: true,
  source: true,
  feedback: true,
  numUsers: true,
  numItems: true,
  numInteractions: true,
  hasTimestamps: true,
  personalData: true,
  createdAt: true,
} as const;

export function toDatasetSummary(row: Pick<Dataset, keyof typeof datasetSummarySelect>, runCount: number): DatasetSummary {
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
