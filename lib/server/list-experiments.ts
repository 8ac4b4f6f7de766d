import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import type { ExperimentListItem } from "./dto";
import { experimentListSelect, toExperimentListItem } from "../experiments/experiment-views";

export async function listExperiments(principal: Principal, filter: { datasetId?: string } = {}): Promise<ExperimentListItem[]> {
  const rows = await getDb().experiment.findMany({
    where: { ...filter, ...teamScope(principal) },
    select: experimentListSelect,
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map(toExperimentListItem);
}
