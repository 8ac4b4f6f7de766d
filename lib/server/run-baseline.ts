import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { BASELINE_MODEL_IDS, pickBaseline, suggestedBaseline } from "../experiments/baseline";
import { compareRuns, type ComparableRun } from "../experiments/compare";
import { decodePerUser, PER_USER_ARTIFACT } from "../metrics/per-user";
import { listModels } from "../models/registry";
import { variantOrigin } from "../storage/rerank-repository";
import type { RunMetrics } from "../tracking/types";
import type { RunBaselineView } from "./dto";
import { getRunOrThrow } from "./get-run-or-throw";
import { getTracking } from "./services";

/** Baseline runs looked at per request (the most recent first): a bounded read however many runs a dataset has. */
const MAX_CANDIDATES = 200;

const modelName = (id: string) => listModels().find((m) => m.id === id)?.displayName ?? id;

/**
 * The run beside the strongest ItemKNN/EASE run on its dataset (same split first), with the
 * paired test over their per-user values when both were scored on the same users and items, or
 * the baseline to launch when there is none.
 */
export async function getRunBaseline(id: string, principal: Principal): Promise<RunBaselineView> {
  const run = await getRunOrThrow(id, principal);
  const test = run.result?.test ?? {};
  const monitor = typeof run.config.monitor === "string" ? run.config.monitor : "ndcg@10";
  const metric = monitor in test ? monitor : "ndcg@10";
  const empty = { metric, baseline: null, runValue: null, sentence: null, significant: false, suggestion: null };
  if (run.status !== "SUCCEEDED" || !Number.isFinite(test[metric])) {
    return { ...empty, unavailable: `the run has no test ${metric} to compare` };
  }

  const db = getDb();
  const rows = await db.run.findMany({
    where: { datasetId: run.datasetId, modelId: { in: [...BASELINE_MODEL_IDS] }, status: "SUCCEEDED", id: { not: id }, ...teamScope(principal) },
    select: { id: true, name: true, modelId: true, config: true, metrics: true, finishedAt: true },
    orderBy: { finishedAt: "desc" },
    take: MAX_CANDIDATES,
  });
  const candidates = rows.flatMap((row) => {
    const config = JSON.parse(row.config) as Record<string, unknown>;
    // A re-ranked variant is not the baseline model's own ranking.
    if (variantOrigin(config) || !row.metrics) return [];
    return [{ ...row, split: config.split, test: (JSON.parse(row.metrics) as RunMetrics).test }];
  });
  const picked = pickBaseline(run.config.split, candidates, metric);
  const runValue = test[metric];
  if (!picked) {
    const dataset = await db.dataset.findUniqueOrThrow({ where: { id: run.datasetId }, select: { numItems: true } });
    const suggested = suggestedBaseline(dataset.numItems, run.modelId);
    return { ...empty, unavailable: null, runValue, suggestion: suggested ? { modelId: suggested, modelName: modelName(suggested) } : null };
  }

  const tracking = getTracking();
  const comparable = async (r: { id: string; name: string; split: unknown; test: Record<string, number> }): Promise<ComparableRun> => {
    const bytes = await tracking.getArtifact(r.id, PER_USER_ARTIFACT);
    return { id: r.id, name: r.name, datasetId: run.datasetId, datasetName: run.datasetName, split: r.split, metrics: r.test, perUser: bytes ? decodePerUser(bytes) : null };
  };
  const pair = compareRuns([await comparable({ id: run.id, name: run.name, split: run.config.split, test }), await comparable(picked)], metric).pairs[0];
  return {
    ...empty,
    unavailable: null,
    baseline: { runId: picked.id, name: picked.name, modelName: modelName(picked.modelId), value: picked.test[metric], sameSplit: picked.sameSplit },
    runValue,
    sentence: pair?.sentence ?? null,
    significant: pair?.paired === true && pair.significant,
    suggestion: null,
  };
}

