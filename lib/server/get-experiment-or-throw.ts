import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { notFound } from "../errors";
import type { ExperimentDetail } from "./dto";
import { experimentInclude, toExperimentDetail } from "../experiments/experiment-views";

/** An experiment the principal may see, with its runs; other teams' experiments are NOT_FOUND. */
export async function getExperimentOrThrow(id: string, principal: Principal): Promise<ExperimentDetail> {
  const row = await getDb().experiment.findFirst({ where: { id, ...teamScope(principal) }, include: experimentInclude });
  if (!row) throw notFound(`experiment ${id} does not exist`);
  return toExperimentDetail(row);
}
