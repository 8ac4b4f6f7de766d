import "server-only";
import type { Principal } from "../auth/principal";
import { notFound } from "../errors";
import { jobOwnerOf } from "../queue/jobs";
import type { JobRecord } from "../queue/types";
import type { JobView } from "./dto";
import { getQueue } from "./services";

/**
 * A job the principal may follow: one the API started for their team (admins: any team's).
 * Jobs without an owner (runs, experiments) and other teams' jobs are NOT_FOUND.
 */
export async function getJobRecordOrThrow(id: string, principal: Principal): Promise<JobRecord> {
  const job = await getQueue().get(id);
  const owner = job ? jobOwnerOf(job.payload) : null;
  if (!job || !owner || (principal.role !== "admin" && owner.teamId !== principal.teamId)) throw notFound(`job ${id} does not exist`);
  return job;
}

export async function getJobOrThrow(id: string, principal: Principal): Promise<JobView> {
  return toJobView(await getJobRecordOrThrow(id, principal));
}

export function toJobView(job: JobRecord): JobView {
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    progress: job.progress ?? 0,
    message: job.progressMessage,
    error: job.error,
    result: job.status === "SUCCEEDED" ? ((job.result as Record<string, unknown> | null) ?? {}) : null,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    cancelRequested: job.cancelRequested,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
