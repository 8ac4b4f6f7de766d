import type { Dataset } from "../datasets/types";
import { buildRunLists, encodeRunLists, TOP_LISTS_ARTIFACT } from "../fairness/run-lists";
import type { Db } from "../db/client";
import { AppError, badInput, notFound } from "../errors";
import { runConfigSchema } from "../experiments/run-config";
import { CANDIDATES_ARTIFACT, decodeCandidates } from "../fairness/candidates";
import { getRerankerDefinition } from "../fairness/registry";
import { evaluateReranked, prepareRerankSetting, rerankRun, type RerankCurve, type RerankSetting } from "../fairness/rerank-run";
import { encodePerUser, PER_USER_ARTIFACT } from "../metrics/per-user";
import { getModelDefinition } from "../models/registry";
import type { RunMetrics, TrackingStore } from "../tracking/types";

/**
 * Re-ranking stored with runs: the setting a finished run is re-ranked in (its dataset, split and
 * candidates), its trade-off curves (run artefacts "rerank-sweep:<re-ranker id>", JSON) and
 * variant runs. Used by the sweep job (worker) and the variant endpoint (web) alike.
 */

const CURVE_PREFIX = "rerank-sweep:";

/** What a variant run's config records about how it was made (config.rerank). */
export interface VariantOrigin {
  baseRunId: string;
  rerankerId: string;
  lambda: number;
  params: Record<string, unknown>;
  k: number;
}

/** The variant origin in a run's config, or null for an ordinary run. */
export function variantOrigin(config: Record<string, unknown>): VariantOrigin | null {
  const rerank = config.rerank as VariantOrigin | undefined;
  return rerank && typeof rerank.baseRunId === "string" ? rerank : null;
}

/**
 * Why a run cannot be re-ranked, as a sentence for the UI, or null when it can: it must have
 * finished on test with candidates kept (runs finished before re-ranking existed have none).
 */
export function rerankBlocker(run: { status: string; config: Record<string, unknown> }, hasCandidates: boolean): string | null {
  if (variantOrigin(run.config)) return "this run is a re-ranked variant; re-rank its base run instead";
  if (run.status !== "SUCCEEDED") return "only finished runs can be re-ranked";
  if (!hasCandidates) {
    const split = (run.config.split as { kind?: string } | undefined)?.kind;
    if (split === "item-cold-start") return "item cold-start runs rank among held-out items only and keep no candidate lists";
    return "this run kept no candidate lists (it finished before re-ranking was available, or did not evaluate on test); re-run it to enable re-ranking";
  }
  return null;
}

/** True when the run has its top-C candidates stored. */
export async function hasCandidates(db: Db, runId: string): Promise<boolean> {
  return (await db.runArtifact.count({ where: { runId, kind: CANDIDATES_ARTIFACT } })) > 0;
}

/** Where re-ranking reads runs and datasets: Prisma-backed in the app, in memory in tests and benchmarks. */
export interface RerankDeps {
  tracking: TrackingStore;
  loadDataset(datasetId: string): Promise<Dataset>;
}

/** Loads a run's dataset and candidates and rebuilds its test setting; CONFLICT when the run cannot be re-ranked. */
export async function loadRerankSetting({ tracking, loadDataset }: RerankDeps, runId: string, k: number) {
  const run = await tracking.getRun(runId);
  if (!run) throw notFound(`run ${runId} does not exist`);
  const bytes = await tracking.getArtifact(runId, CANDIDATES_ARTIFACT);
  const blocker = rerankBlocker(run, bytes !== null);
  if (blocker) throw new AppError("CONFLICT", blocker);
  const config = runConfigSchema.parse(run.config);
  const dataset = await loadDataset(run.datasetId);
  return { run, config, setting: prepareRerankSetting(dataset, config, decodeCandidates(bytes!), k) };
}

export async function saveRerankCurve(tracking: TrackingStore, runId: string, curve: RerankCurve): Promise<void> {
  await tracking.saveArtifact(runId, CURVE_PREFIX + curve.rerankerId, new TextEncoder().encode(JSON.stringify(curve)));
}

/** Every stored trade-off curve of a run, newest first. */
export async function listRerankCurves(db: Db, runId: string): Promise<RerankCurve[]> {
  const rows = await db.runArtifact.findMany({ where: { runId, kind: { startsWith: CURVE_PREFIX } }, orderBy: { createdAt: "desc" } });
  return rows.map((row) => JSON.parse(new TextDecoder().decode(row.data)) as RerankCurve);
}

/** "EASE + MMR λ=0.3". */
export function variantName(modelId: string, rerankerId: string, lambda: number): string {
  return `${getModelDefinition(modelId).displayName} + ${getRerankerDefinition(rerankerId).displayName} λ=${lambda}`;
}

/**
 * Saves one re-ranked point as a run of its own: SUCCEEDED, same dataset, model, split and seed
 * as the base, config.rerank saying how it was made, test metrics and per-user values computed by
 * the evaluator, so it lists and compares (paired tests) like any run.
 */
export async function createRerankVariant(
  tracking: TrackingStore,
  loaded: { run: { id: string; datasetId: string; modelId: string; config: Record<string, unknown>; metrics: RunMetrics | null }; setting: RerankSetting },
  input: { rerankerId: string; lambda: number; params: Record<string, unknown>; k: number },
  owner: { teamId: string; createdById: string | null },
) {
  const { run, setting } = loaded;
  const started = performance.now();
  // The variant keeps its lists like a trained run, so its bias report shows exposure too.
  const evaluated = evaluateReranked(setting, rerankRun(setting, input.rerankerId, { ...input.params, lambda: input.lambda }), true);
  const rerank: VariantOrigin = { baseRunId: run.id, ...input };
  const variant = await tracking.createRun({
    name: variantName(run.modelId, input.rerankerId, input.lambda),
    datasetId: run.datasetId,
    modelId: run.modelId,
    config: { ...run.config, rerank },
    teamId: owner.teamId,
    createdById: owner.createdById,
  });
  await tracking.saveArtifact(variant.id, PER_USER_ARTIFACT, encodePerUser(evaluated.perUser));
  if (evaluated.lists) {
    const lists = buildRunLists(setting.beyond.history, setting.truth, evaluated.perUser.users, evaluated.lists);
    await tracking.saveArtifact(variant.id, TOP_LISTS_ARTIFACT, encodeRunLists(lists));
  }
  await tracking.markRunning(variant.id, "js");
  const base = run.metrics;
  await tracking.finishRun(variant.id, {
    test: evaluated.summary,
    validation: base?.validation ?? {},
    fit: base?.fit ?? { seconds: 0, bestEpoch: 0, epochsRun: 0, stoppedEarly: false },
    evaluation: { seconds: (performance.now() - started) / 1000, users: evaluated.numUsers },
  });
  return variant.id;
}
