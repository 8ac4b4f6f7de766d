import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { AppError, badInput } from "../errors";
import { assembleAbTestReport } from "../reports/assemble/ab-test";
import { assembleBiasReport } from "../reports/assemble/bias";
import { assembleComparisonReport } from "../reports/assemble/comparison";
import { assembleDatasetReport } from "../reports/assemble/dataset";
import { assembleExperimentReport } from "../reports/assemble/experiment";
import { assembleRunReport } from "../reports/assemble/run";
import { MAX_COMPARED_RUNS, type ReportDocument, type ReportTarget } from "../reports/document";
import { getAbTestOrThrow } from "./ab-tests";
import { compareQuerySchema, compareRuns } from "./compare-runs";
import { getBiasReport } from "./get-bias-report";
import { getDataSheet } from "./get-data-sheet";
import { getExperimentOrThrow } from "./get-experiment-or-throw";
import { getRunOrThrow } from "./get-run-or-throw";
import { getTracking } from "./services";

/**
 * Reads the stored facts a report needs (scoped to the principal's team; NotFound otherwise)
 * and assembles the document. Bounded: a comparison takes at most MAX_COMPARED_RUNS runs.
 */
export async function buildReport(target: ReportTarget, principal: Principal): Promise<ReportDocument> {
  const generatedAt = new Date();
  switch (target.kind) {
    case "run": {
      const run = await getRunOrThrow(target.runId, principal);
      const history = await getTracking().getMetricHistory(run.id, { maxPoints: 300 });
      return assembleRunReport({ run, history, generatedAt });
    }
    case "experiment": {
      const experiment = await getExperimentOrThrow(target.experimentId, principal);
      const rows = await getDb().run.findMany({ where: { experimentId: experiment.id }, select: { backend: true } });
      return assembleExperimentReport({ experiment, backends: rows.map((r) => r.backend), generatedAt });
    }
    case "comparison": {
      const ids = [...new Set(target.runIds)];
      if (ids.length > MAX_COMPARED_RUNS) throw badInput(`a comparison report takes at most ${MAX_COMPARED_RUNS} runs; ${ids.length} were given`, { field: "runs" });
      const query = compareQuerySchema.parse({ runs: ids.join(","), ...(target.metric ? { metric: target.metric } : {}) });
      const view = await compareRuns(query, principal);
      const rows = await getDb().run.findMany({
        where: { id: { in: ids }, ...teamScope(principal) },
        select: { id: true, config: true, backend: true, dataset: { select: { name: true } } },
      });
      const runs = view.runs.map((r) => {
        const row = rows.find((x) => x.id === r.id)!;
        const config = JSON.parse(row.config) as { split?: unknown; seed?: number };
        return { datasetName: row.dataset.name, split: config.split, seed: typeof config.seed === "number" ? config.seed : null, backend: row.backend };
      });
      return assembleComparisonReport({ view, runs, generatedAt });
    }
    case "dataset":
      return assembleDatasetReport({ sheet: await getDataSheet(target.datasetId, principal), generatedAt });
    case "bias": {
      const run = await getRunOrThrow(target.runId, principal);
      const report = await getBiasReport(target.runId, principal, target.groupBy ? { groupBy: target.groupBy } : {});
      const config = run.config as { split?: unknown; seed?: number };
      return assembleBiasReport({ report, datasetName: run.datasetName, split: config.split, seed: typeof config.seed === "number" ? config.seed : null, backend: run.backend, generatedAt });
    }
    case "ab-test": {
      const test = await getAbTestOrThrow(target.abTestId, principal);
      if (!test.analysis) throw new AppError("CONFLICT", `A/B test "${test.name}" has no results yet (${test.status.toLowerCase()})`);
      const seed = (test.config as { seed?: unknown }).seed;
      return assembleAbTestReport({
        name: test.name,
        analysis: test.analysis,
        datasetName: test.datasetName ?? "imported log",
        seed: typeof seed === "number" ? seed : null,
        generatedAt,
      });
    }
  }
}
