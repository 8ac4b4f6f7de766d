import "server-only";
import { recordAudit } from "../auth/audit";
import type { Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { CANCEL_REQUEST_ARTIFACT, encodeCancelRequest, type CancelRequest } from "../tracking/cancel-request";
import { getRunOrThrow } from "./get-run-or-throw";
import { getQueue, getTracking } from "./services";

/**
 * Cancels a queued run at once, or asks a running one to stop within one training batch (its
 * worker polls the flag every second); the request says whether the kept best epoch is then
 * evaluated on test.
 */
export async function cancelRun(id: string, principal: Principal, ip?: string, request: CancelRequest = { evaluateBest: false }): Promise<{ status: string }> {
  const run = await getRunOrThrow(id, principal);
  if (run.status !== "QUEUED" && run.status !== "RUNNING") {
    throw new AppError("CONFLICT", `run ${id} is already ${run.status.toLowerCase()}`);
  }
  if (!run.job) throw new AppError("CONFLICT", `run ${id} has no job to cancel`);
  // Stored before the flag is raised, so the worker that sees the flag also sees the choice.
  if (run.status === "RUNNING") await getTracking().saveArtifact(id, CANCEL_REQUEST_ARTIFACT, encodeCancelRequest(request));
  const job = await getQueue().cancel(run.job.id);
  if (job.status === "CANCELLED") await getTracking().failRun(id, "CANCELLED", null);
  await recordAudit(getDb(), { actor: principal, action: "run.cancel", target: `run:${id}`, ip });
  return { status: job.status === "CANCELLED" ? "CANCELLED" : "CANCELLING" };
}
