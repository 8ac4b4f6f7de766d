import "server-only";
import { recordAudit } from "../auth/audit";
import type { Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { checkSweepParams } from "../fairness/rerank-run";
import { loadDataset } from "../storage/dataset-repository";
import { createRerankVariant, loadRerankSetting } from "../storage/rerank-repository";
import { rerankVariantSchema, getRerankableRun } from "./rerank-sweeps";
import { getTracking } from "./services";

/**
 * Saves one point of a trade-off curve as a variant run. Bounded work in the request: one
 * re-ranking of the stored candidates (≤ 100 per test user) and one evaluation of the lists.
 */
export async function createVariant(runId: string, input: unknown, principal: Principal, ip?: string): Promise<{ runId: string }> {
  const body = rerankVariantSchema.parse(input);
  checkSweepParams(body.rerankerId, [body.lambda], body.params);
  const { run } = await getRerankableRun(runId, principal, true);
  const tracking = getTracking();
  const loaded = await loadRerankSetting({ tracking, loadDataset: (id) => loadDataset(getDb(), id) }, runId, body.k);
  const id = await createRerankVariant(tracking, loaded, body, { teamId: principal.teamId, createdById: principal.userId });
  await recordAudit(getDb(), { actor: principal, action: "run.variant", target: `run:${id}`, detail: `${body.rerankerId} λ=${body.lambda} of run:${run.id}`, ip });
  return { runId: id };
}
