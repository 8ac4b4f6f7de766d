import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { datasetSummarySelect, toDatasetSummary } from "./dataset-views";
import type { DatasetSummary } from "./dto";
import { sharedRead, sharedReadKey } from "./shared-reads";

export async function listDatasets(principal: Principal): Promise<DatasetSummary[]> {
  const rows = await getDb().dataset.findMany({
    where: teamScope(principal),
    orderBy: { createdAt: "desc" },
    // Not the statistics or preprocessing JSON: the list shows counts only.
    select: { ...datasetSummarySelect, _count: { select: { runs: true } } },
  });
  return rows.map((row) => toDatasetSummary(row, row._count.runs));
}

/** Ids and names only, newest first: for filter menus, which need neither counts nor statistics. */
export function listDatasetNames(principal: Principal): Promise<{ id: string; name: string }[]> {
  const where = teamScope(principal);
  return sharedRead(sharedReadKey("dataset-names", where), () => getDb().dataset.findMany({ where, orderBy: { createdAt: "desc" }, select: { id: true, name: true } }));
}
