import "server-only";
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { jobOwnerOf } from "../queue/jobs";

/** How many waiting jobs the panel reads: positions past it are shown as "more than N". */
export const QUEUE_SCAN_LIMIT = 500;

/** What one job is doing, as far as the reader may know: other teams' jobs stay anonymous. */
export interface QueueJobView {
  jobId: string;
  label: string;
  href: string | null;
  /** 1-based place among waiting jobs (claim order: priority, then age); null for running jobs. */
  position: number | null;
  progressMessage: string | null;
  worker: string | null;
  startedAt: string | null;
  heartbeatAt: string | null;
}

export interface QueueStatus {
  /** Jobs waiting now (available), at most QUEUE_SCAN_LIMIT counted exactly. */
  waiting: number;
  waitingCapped: boolean;
  running: QueueJobView[];
  /** The reader's team's waiting jobs with their positions. */
  mine: QueueJobView[];
}

const runPayload = z.object({ runId: z.string() });
const experimentPayload = z.object({ experimentId: z.string() });

interface JobRow {
  id: string;
  name: string;
  payload: string;
  lockedBy: string | null;
  progressMessage: string | null;
  startedAt: Date | null;
  heartbeatAt: Date | null;
}

/**
 * The queue as a user waiting on it needs to see it: what is running on which worker, and where
 * each of their team's waiting jobs stands. Bounded: reads the running jobs and the first
 * QUEUE_SCAN_LIMIT waiting ones, plus the runs and experiments they name.
 */
export async function getQueueStatus(principal: Principal): Promise<QueueStatus> {
  const db = getDb();
  const select = { id: true, name: true, payload: true, lockedBy: true, progressMessage: true, startedAt: true, heartbeatAt: true } as const;
  const [running, waiting] = await Promise.all([
    db.job.findMany({ where: { status: "RUNNING" }, select, orderBy: { startedAt: "asc" }, take: QUEUE_SCAN_LIMIT }),
    db.job.findMany({
      where: { status: "QUEUED", availableAt: { lte: new Date() } },
      select,
      orderBy: [{ priority: "desc" }, { createdAt: "asc" }],
      take: QUEUE_SCAN_LIMIT + 1,
    }),
  ]);
  const waitingCapped = waiting.length > QUEUE_SCAN_LIMIT;
  const scanned = waiting.slice(0, QUEUE_SCAN_LIMIT);
  const describe = await jobDescriber([...running, ...scanned], principal);
  return {
    waiting: scanned.length,
    waitingCapped,
    running: running.map((job) => ({ ...describe(job), position: null })),
    mine: scanned.flatMap((job, index) => {
      const view = describe(job);
      return view.href ? [{ ...view, position: index + 1 }] : [];
    }),
  };
}

/** Labels jobs from the runs and experiments they name; a job of another team gets no name or link. */
async function jobDescriber(jobs: JobRow[], principal: Principal) {
  const payloads = new Map(jobs.map((j) => [j.id, safeJson(j.payload)]));
  const runIds = jobs.flatMap((j) => runPayload.safeParse(payloads.get(j.id)).data?.runId ?? []);
  const experimentIds = jobs.flatMap((j) => experimentPayload.safeParse(payloads.get(j.id)).data?.experimentId ?? []);
  const db = getDb();
  const [runs, experiments] = await Promise.all([
    db.run.findMany({ where: { id: { in: runIds } }, select: { id: true, name: true, teamId: true } }),
    db.experiment.findMany({ where: { id: { in: experimentIds } }, select: { id: true, name: true, teamId: true } }),
  ]);
  const runById = new Map(runs.map((r) => [r.id, r]));
  const experimentById = new Map(experiments.map((e) => [e.id, e]));
  const visible = (teamId: string | undefined) => teamId !== undefined && (principal.role === "admin" || teamId === principal.teamId);

  return (job: JobRow): Omit<QueueJobView, "position"> => {
    const payload = payloads.get(job.id);
    const run = runById.get(runPayload.safeParse(payload).data?.runId ?? "");
    const experiment = experimentById.get(experimentPayload.safeParse(payload).data?.experimentId ?? "");
    const owner = jobOwnerOf(payload);
    let label = "another team's job";
    let href: string | null = null;
    if (run && visible(run.teamId)) [label, href] = [`run “${run.name}”`, `/runs/${run.id}`];
    else if (experiment && visible(experiment.teamId)) [label, href] = [`finishing “${experiment.name}”`, `/experiments/${experiment.id}`];
    else if (owner && visible(owner.teamId)) [label, href] = [job.name.replace(/-/g, " "), `/api/jobs/${job.id}`];
    const mayKnow = href !== null;
    return {
      jobId: mayKnow ? job.id : "",
      label,
      href,
      progressMessage: mayKnow ? job.progressMessage : null,
      worker: job.lockedBy,
      startedAt: job.startedAt?.toISOString() ?? null,
      heartbeatAt: job.heartbeatAt?.toISOString() ?? null,
    };
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
