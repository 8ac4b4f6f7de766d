import "server-only";
import { recordAudit } from "../auth/audit";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { launchExperiment as launch } from "../experiments/launch-experiment";
import type { LaunchExperimentInput } from "../experiments/experiment-spec";
import { getQueue } from "./services";

export { launchExperimentSchema } from "../experiments/experiment-spec";

/** Plans and queues an experiment on a dataset of the principal's team (one job per run). */
export async function launchExperiment(input: LaunchExperimentInput, principal: Principal, ip?: string): Promise<{ id: string; runs: number }> {
  const db = getDb();
  const created = await launch(db, getQueue(), input, { ...teamScope(principal), createdById: principal.userId });
  await recordAudit(db, { actor: principal, action: "experiment.launch", target: `experiment:${created.id}`, detail: `${created.runs} runs on dataset:${input.datasetId}`, ip });
  return created;
}
