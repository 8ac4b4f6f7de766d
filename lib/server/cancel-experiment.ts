import "server-only";
import { recordAudit } from "../auth/audit";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { cancelExperiment as cancel } from "../experiments/experiment-lifecycle";
import { getQueue } from "./services";

/** Cancels an experiment: queued runs at once, running ones at their next epoch boundary. */
export async function cancelExperiment(id: string, principal: Principal, ip?: string) {
  const db = getDb();
  const result = await cancel(db, getQueue(), id, teamScope(principal));
  await recordAudit(db, { actor: principal, action: "experiment.cancel", target: `experiment:${id}`, ip });
  return result;
}
