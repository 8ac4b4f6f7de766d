import "server-only";
import { AppError } from "../errors";
import { getRunOrThrow } from "./get-run-or-throw";
import { getQueue, getTracking } from "./services";

/** Cancels a queued run at once, or asks a running one to stop at its next epoch boundary. */
export async function cancelRun(id: string): Promise<{ status: string }> {
  const run = await getRunOrThrow(id);
  if (run.status !== "QUEUED" && run.status !== "RUNNING") {
    throw new AppError("CONFLICT", `run ${id} is already ${run.status.toLowerCase()}`);
  }
  if (!run.job) throw new AppError("CONFLICT", `run ${id} has no job to cancel`);
  const job = await getQueue().cancel(run.job.id);
  if (job.status === "CANCELLED") await getTracking().failRun(id, "CANCELLED", null);
  return { status: job.status === "CANCELLED" ? "CANCELLED" : "CANCELLING" };
}
