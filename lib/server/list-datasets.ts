import "server-only";
import { getDb } from "../db/client";
import { toDatasetSummary } from "./dataset-views";
import type { DatasetSummary } from "./dto";

export async function listDatasets(): Promise<DatasetSummary[]> {
  const rows = await getDb().dataset.findMany({
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { runs: true } } },
  });
  return rows.map((row) => toDatasetSummary(row, row._count.runs));
}
