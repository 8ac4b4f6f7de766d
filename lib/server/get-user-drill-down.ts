import "server-only";
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { AppError, notFound } from "../errors";
import { decodeCandidates, CANDIDATES_ARTIFACT } from "../fairness/candidates";
import { assembleDrillDown, type UserDrillDown } from "../fairness/drill-down";
import { decodeExplanations, EXPLANATIONS_ARTIFACT, type RunExplanations } from "../fairness/explanations";
import { listRerankers } from "../fairness/registry";
import { prepareRerankSetting } from "../fairness/rerank-run";
import { runConfigSchema } from "../experiments/run-config";
import { rerankBlocker } from "../storage/rerank-repository";
import { loadDataset } from "../storage/dataset-repository";
import { getRunOrThrow } from "./get-run-or-throw";
import { getTracking } from "./services";

export const drillDownQuerySchema = z.object({
  rerankerId: z
    .string()
    .refine((id) => listRerankers().some((r) => r.id === id), { message: "unknown re-ranker" })
    .optional()
    .describe("Re-ranker id (lib/fairness/registry.ts) whose list of this user to show next to the base list"),
  lambda: z.coerce.number().min(0).max(1).default(0.5).describe("λ of the re-ranker, in [0, 1]"),
  k: z.coerce.number().int().min(1).max(100).default(10).describe("Length of the lists"),
});

/**
 * One test user of a finished run the principal may see (`user` is the dataset's user id,
 * pseudonymised where the dataset holds personal data). NOT_FOUND for another team's run and for
 * a user the run did not evaluate on test.
 */
export async function getUserDrillDown(runId: string, user: string, principal: Principal, query: z.output<typeof drillDownQuerySchema>): Promise<UserDrillDown & { runId: string; runName: string }> {
  const run = await getRunOrThrow(runId, principal);
  const tracking = getTracking();
  const bytes = await tracking.getArtifact(runId, CANDIDATES_ARTIFACT);
  const blocker = rerankBlocker(run, bytes !== null);
  if (blocker) throw new AppError("CONFLICT", blocker);
  const config = runConfigSchema.parse(run.config);
  const dataset = await loadDataset(getDb(), run.datasetId);
  const index = dataset.userIds.indexOf(user);
  if (index < 0) throw notFound(`user ${user} is not in this run's dataset`);
  const candidates = decodeCandidates(bytes!);
  const row = candidates.users.indexOf(index);
  if (row < 0) throw notFound(`user ${user} was not evaluated on test in this run`);
  const setting = prepareRerankSetting(dataset, config, candidates, query.k);
  const train = setting.beyond.history;
  let explained: RunExplanations | null = null;
  try {
    const e = await tracking.getArtifact(runId, EXPLANATIONS_ARTIFACT);
    explained = e ? decodeExplanations(e) : null;
  } catch {
    explained = null; // a broken artefact reads as "unavailable"
  }
  const reasons = explained?.users[index] ?? null;
  const from = row * candidates.size;
  const drill = assembleDrillDown({
    dataset,
    user,
    history: train.indices.slice(train.indptr[index], train.indptr[index + 1]),
    candidates: { items: candidates.items.subarray(from, from + candidates.counts[row]), scores: candidates.scores.subarray(from, from + candidates.counts[row]) },
    k: query.k,
    reasons,
    explanations: !explained ? "unavailable" : reasons ? null : "not-explained",
    explanationKind: explained?.kind ?? null,
    ...(query.rerankerId ? { rerank: { rerankerId: query.rerankerId, lambda: query.lambda, params: {}, ctx: setting.ctx } } : {}),
  });
  return { ...drill, runId, runName: run.name };
}

/** True when the dataset holds personal data (its user ids are pseudonymised): the picker says so. */
export async function datasetIsPersonal(datasetId: string): Promise<boolean> {
  const row = await getDb().dataset.findUnique({ where: { id: datasetId }, select: { personalData: true } });
  return row?.personalData ?? false;
}
