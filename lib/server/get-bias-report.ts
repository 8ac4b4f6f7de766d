import "server-only";
import { z } from "zod";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { badInput, notFound } from "../errors";
import { buildBiasReport, type BiasReport } from "../fairness/bias-report";
import { decodeRunLists, TOP_LISTS_ARTIFACT } from "../fairness/run-lists";
import { decodePerUser, PER_USER_ARTIFACT } from "../metrics/per-user";
import { getModelDefinition } from "../models/registry";
import { loadDataset } from "../storage/dataset-repository";
import type { RunMetrics } from "../tracking/types";
import { getTracking } from "./services";

export const biasQuerySchema = z.object({
  groupBy: z.string().min(1).max(100).optional().describe('User attribute to group by ("gender", "age", "occupation", a CSV column) or "activity" (training-interaction quartiles)'),
});

export const compareBiasQuerySchema = biasQuerySchema.extend({
  runs: z
    .string()
    .transform((text) => [...new Set(text.split(",").map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(z.string()).min(2, "select at least two runs").max(4, "compare at most 4 runs at once"))
    .describe("Comma-separated run ids (2 to 4)"),
});

/** The bias and diversity report of one finished run the principal may see. */
export async function getBiasReport(id: string, principal: Principal, query: z.output<typeof biasQuerySchema>): Promise<BiasReport & { datasetId: string }> {
  const row = await getDb().run.findFirst({ where: { id, ...teamScope(principal) } });
  if (!row) throw notFound(`run ${id} does not exist`);
  if (row.status !== "SUCCEEDED" || !row.metrics) throw badInput(`run ${row.name} has not finished; its bias report is available once it succeeds`);
  const tracking = getTracking();
  const [perUserBytes, listBytes, dataset] = await Promise.all([
    tracking.getArtifact(id, PER_USER_ARTIFACT),
    tracking.getArtifact(id, TOP_LISTS_ARTIFACT),
    loadDataset(getDb(), row.datasetId),
  ]);
  if (!perUserBytes) throw badInput(`run ${row.name} has no per-user test metrics (a search trial is evaluated on validation only)`);
  const metrics = JSON.parse(row.metrics) as RunMetrics;
  const report = buildBiasReport({
    run: { id, name: row.name, modelName: modelName(row.modelId), test: metrics.test },
    dataset,
    perUser: decodePerUser(perUserBytes),
    lists: listBytes ? decodeRunLists(listBytes) : null,
    ...(query.groupBy ? { groupBy: query.groupBy } : {}),
  });
  return { ...report, datasetId: row.datasetId };
}

/** Reports of 2–4 runs side by side, grouped the same way. */
export async function getBiasComparison(query: z.output<typeof compareBiasQuerySchema>, principal: Principal) {
  const reports = [];
  for (const id of query.runs) reports.push(await getBiasReport(id, principal, query));
  return { reports };
}

function modelName(modelId: string): string {
  try {
    return getModelDefinition(modelId).displayName;
  } catch {
    return modelId;
  }
}
