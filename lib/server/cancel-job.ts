import "server-only";
import { recordAudit } from "../auth/audit";
import type { Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { getJobRecordOrThrow } from "./get-job-or-throw";
import { getQueue } from "./services";
import { settleCancelledAbJob } from "./ab-tests";

/** Cancels a queued job at once, or asks a running one to stop at its next progress report. */
export async function cancelJob(id: string, principal: Principal, ip?: string): Promise<{ status: "CANCELLED" | "CANCELLING" }> {
  const job = await getJobRecordOrThrow(id, principal);
  if (job.status !== "QUEUED" && job.status !== "RUNNING") throw new AppError("CONFLICT", `job ${id} is already ${job.status.toLowerCase()}`);
  const after = await getQueue().cancel(id);
  if (after.status === "CANCELLED") await settleCancelledAbJob(job);
  await recordAudit(getDb(), { actor: principal, action: "job.cancel", target: `job:${id}`, detail: job.name, ip });
  return { status: after.status === "CANCELLED" ? "CANCELLED" : "CANCELLING" };
}
