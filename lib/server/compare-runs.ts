import "server-only";
import { z } from "zod";
import { MAX_COMPARED_RUNS } from "../reports/document";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { badInput, notFound } from "../errors";
import { compareRuns as compare } from "../experiments/compare";
import { splitText } from "../experiments/pairability";
import type { RunRole } from "../experiments/experiment-spec";
import { decodePerUser, PER_USER_ARTIFACT, VALIDATION_PER_USER_ARTIFACT } from "../metrics/per-user";
import { parseMetricKey } from "../metrics/registry";
import { listModels } from "../models/registry";
import type { RunMetrics } from "../tracking/types";
import type { ComparisonView } from "./dto";
import { varyingParams } from "../experiments/experiment-views";
import { getTracking } from "./services";

export const compareQuerySchema = z.object({
  runs: z
    .string()
    .transform((text) => [...new Set(text.split(",").map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(z.string()).min(2, "select at least two runs to compare").max(MAX_COMPARED_RUNS, `compare at most ${MAX_COMPARED_RUNS} runs at once`))
    .describe(`Comma-separated run ids (2 to ${MAX_COMPARED_RUNS})`),
  metric: z.string().default("ndcg@10").describe("Metric of the intervals, curves and significance tests, e.g. ndcg@10"),
  split: z
    .enum(["auto", "test", "validation"])
    .default("auto")
    .describe("Which held-out part to compare; auto: test when every run has test metrics, else validation (search trials skip test)"),
});

/**
 * Runs side by side (across experiments): a metric table, bootstrap 95% intervals, overlaid
 * learning curves and pairwise paired tests over per-user values, Holm-corrected, for the pairs
 * evaluated on the same dataset, split and users; other pairs carry the reason instead.
 */
export async function compareRuns(query: z.output<typeof compareQuerySchema>, principal: Principal): Promise<ComparisonView> {
  try {
    parseMetricKey(query.metric);
  } catch (error) {
    throw badInput(`metric: ${(error as Error).message}`, { field: "metric" });
  }
  const db = getDb();
  const rows = await db.run.findMany({ where: { id: { in: query.runs }, ...teamScope(principal) }, include: { dataset: { select: { name: true } } } });
  const missing = query.runs.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw notFound(`run ${missing.join(", ")} does not exist`);
  const unfinished = rows.filter((r) => r.status !== "SUCCEEDED");
  if (unfinished.length > 0) throw badInput(`only finished runs can be compared; ${unfinished.map((r) => r.name).join(", ")} ${unfinished.length === 1 ? "is" : "are"} not`, { field: "runs" });
  const ordered = query.runs.map((id) => rows.find((r) => r.id === id)!);
  const metrics = ordered.map((r) => JSON.parse(r.metrics!) as RunMetrics);
  const split = query.split !== "auto" ? query.split : metrics.every((m) => Object.keys(m.test).length > 0) ? "test" : "validation";
  const tracking = getTracking();
  const configs = ordered.map((r) => JSON.parse(r.config) as { params?: Record<string, unknown>; split?: unknown });
  const comparable = await Promise.all(
    ordered.map(async (row, i) => {
      const bytes = await tracking.getArtifact(row.id, split === "test" ? PER_USER_ARTIFACT : VALIDATION_PER_USER_ARTIFACT);
      return {
        id: row.id,
        name: row.name,
        datasetId: row.datasetId,
        datasetName: row.dataset.name,
        split: configs[i].split ?? null,
        metrics: metrics[i][split],
        perUser: bytes ? decodePerUser(bytes) : null,
      };
    }),
  );
  const curves = await Promise.all(
    ordered.map(async (row) => {
      const history = await tracking.getMetricHistory(row.id, { keys: [`validation/${query.metric}`], maxPoints: 300 });
      return { runId: row.id, points: history[`validation/${query.metric}`] ?? [] };
    }),
  );
  const params = configs.map((c) => c.params ?? {});
  return {
    split,
    runs: ordered.map((row, i) => ({
      id: row.id,
      name: row.name,
      modelName: listModels().find((m) => m.id === row.modelId)?.displayName ?? row.modelId,
      experimentId: row.experimentId,
      role: row.role as RunRole | null,
      evaluatedOn: `${row.dataset.name} · ${splitText(configs[i].split)}`,
      params: params[i],
      metrics: metrics[i][split],
    })),
    comparison: compare(comparable, query.metric),
    curves,
    varying: varyingParams(params),
  };
}
