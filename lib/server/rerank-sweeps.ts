import "server-only";
import { z } from "zod";
import { recordAudit } from "../auth/audit";
import type { Principal } from "../auth/principal";
import type { DatasetStats } from "../datasets/stats";
import { getDb } from "../db/client";
import { AppError, badInput } from "../errors";
import { getRerankerDefinition, listRerankers } from "../fairness/registry";
import { checkSweepParams, DEFAULT_SWEEP_LAMBDAS, OBJECTIVE_METRIC } from "../fairness/rerank-run";
import { isHigherBetter, metricKey } from "../metrics/registry";
import { rerankSweepJob } from "../queue/jobs";
import { hasCandidates, listRerankCurves, rerankBlocker, variantOrigin } from "../storage/rerank-repository";
import type { RerankView } from "./dto";
import { getRunOrThrow } from "./get-run-or-throw";
import { getQueue } from "./services";

const rerankerIdSchema = z
  .string()
  .refine((id) => listRerankers().some((r) => r.id === id), { message: `unknown re-ranker; available: ${listRerankers().map((r) => r.id).join(", ")}` })
  .describe("Re-ranker id (lib/fairness/registry.ts), e.g. mmr");

export const rerankSweepSchema = z.object({
  rerankerId: rerankerIdSchema,
  lambdas: z.array(z.number()).min(1).max(21).default([...DEFAULT_SWEEP_LAMBDAS]).describe("λ values to try, each in [0, 1]; default 0, .1, .2, .3, .5, .7, .9"),
  k: z.number().int().min(1).max(100).default(10).describe("Cut-off of the curve's metrics (NDCG@K and the targeted metric @K)"),
  params: z.record(z.unknown()).default({}).describe("Other parameters of the re-ranker (λ varies)"),
});

export const rerankVariantSchema = z.object({
  rerankerId: rerankerIdSchema,
  lambda: z.number().describe("The λ of the point to save, in [0, 1]"),
  k: z.number().int().min(1).max(100).default(10).describe("Cut-off the point was read at"),
  params: z.record(z.unknown()).default({}).describe("Other parameters of the re-ranker"),
});

/** A run the principal may see, and whether it can be re-ranked (CONFLICT with the reason when asked to). */
export async function getRerankableRun(runId: string, principal: Principal, require = false) {
  const run = await getRunOrThrow(runId, principal);
  const blocker = rerankBlocker(run, await hasCandidates(getDb(), runId));
  if (require && blocker) throw new AppError("CONFLICT", blocker);
  return { run, blocker };
}

/** True when some item of the dataset has a genre (from its stored statistics). */
async function datasetHasGenres(datasetId: string): Promise<boolean> {
  const dataset = await getDb().dataset.findUnique({ where: { id: datasetId }, select: { stats: true } });
  const stats = dataset ? (JSON.parse(dataset.stats) as Partial<DatasetStats>) : {};
  return (stats.itemAttributes?.withGenres ?? 0) > 0;
}

/** BAD_INPUT when the re-ranker needs item genres and the run's dataset has none. */
async function checkDatasetFits(rerankerId: string, datasetId: string): Promise<void> {
  const definition = getRerankerDefinition(rerankerId);
  if (definition.needs.includes("genres") && !(await datasetHasGenres(datasetId))) {
    throw badInput(`${definition.displayName} needs item genres, which this run's dataset does not have`, { field: "rerankerId" });
  }
}

/** The run's re-ranking state: stored curves, saved variants, and which re-rankers its dataset supports. */
export async function getRerankView(runId: string, principal: Principal): Promise<RerankView> {
  const { run, blocker } = await getRerankableRun(runId, principal);
  const db = getDb();
  const hasGenres = await datasetHasGenres(run.datasetId);
  const rows = await db.run.findMany({
    where: { teamId: (await db.run.findUnique({ where: { id: runId }, select: { teamId: true } }))!.teamId, config: { contains: `"baseRunId":"${runId}"` } },
    select: { id: true, name: true, config: true },
    orderBy: { createdAt: "asc" },
  });
  const variants = rows.flatMap((r) => {
    const origin = variantOrigin(JSON.parse(r.config) as Record<string, unknown>);
    return origin?.baseRunId === runId ? [{ id: r.id, name: r.name, rerankerId: origin.rerankerId, lambda: origin.lambda }] : [];
  });
  const open = await db.job.findMany({
    where: { name: rerankSweepJob.name, status: { in: ["QUEUED", "RUNNING"] }, payload: { contains: `"runId":"${runId}"` } },
    select: { id: true, payload: true },
    orderBy: { createdAt: "asc" },
  });
  const active = open.flatMap((j) => {
    const parsed = rerankSweepJob.schema.safeParse(JSON.parse(j.payload));
    return parsed.success && parsed.data.runId === runId ? [{ jobId: j.id, rerankerId: parsed.data.rerankerId }] : [];
  });
  const curves = await listRerankCurves(db, runId);
  const keys = new Set(curves.flatMap((c) => [c.x, c.y]));
  return {
    blocker,
    rerankers: listRerankers().map((r) => ({
      id: r.id,
      displayName: r.displayName,
      summary: r.summary,
      x: metricKey(OBJECTIVE_METRIC[r.objective], 10),
      available: !r.needs.includes("genres") || hasGenres,
    })),
    curves,
    variants,
    active,
    higherIsBetter: Object.fromEntries([...keys].map((key) => [key, isHigherBetter(key)])),
  };
}

/** Queues a λ sweep of one re-ranker over a finished run; λ values are checked first (BAD_INPUT). */
export async function startRerankSweep(runId: string, input: unknown, principal: Principal, ip?: string): Promise<{ jobId: string; status: "QUEUED" }> {
  const body = rerankSweepSchema.parse(input);
  checkSweepParams(body.rerankerId, body.lambdas, body.params);
  const { run } = await getRerankableRun(runId, principal, true);
  await checkDatasetFits(body.rerankerId, run.datasetId);
  const payload = rerankSweepJob.schema.parse({ runId, ...body, owner: { teamId: principal.teamId, createdById: principal.userId } });
  const job = await getQueue().enqueue(rerankSweepJob.name, payload);
  await recordAudit(getDb(), { actor: principal, action: "run.rerank-sweep", target: `run:${runId}`, detail: `${body.rerankerId} λ ${body.lambdas.join(", ")}`, ip });
  return { jobId: job.id, status: "QUEUED" };
}
