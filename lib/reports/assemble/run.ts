import { metricLabel } from "../../metrics/registry";
import type { RunDetail } from "../../server/dto";
import { curvesChart, metricsTable, settingsTable, text } from "../blocks";
import { REPORT_SCHEMA_VERSION, type ReportBlock, type ReportDocument } from "../document";
import { provenance } from "../provenance";

export interface RunFacts {
  run: RunDetail;
  /** Metric history by key ("validation/ndcg@10", "train/loss"), as GET /api/runs/:id/history returns it. */
  history: Record<string, { step: number; value: number }[]>;
  generatedAt: Date;
}

/** A run's report: what was trained and how, its test metrics, and its validation learning curve. */
export function assembleRunReport({ run, history, generatedAt }: RunFacts): ReportDocument {
  const config = run.config as { params?: Record<string, unknown>; split?: unknown; seed?: number; monitor?: string };
  const result = run.result;
  const monitor = typeof config.monitor === "string" ? config.monitor : "ndcg@10";
  const summary: ReportBlock[] = [text(`${run.modelName} trained on ${run.datasetName}; status ${run.status.toLowerCase()}.`)];
  if (result) {
    const fit = result.fit;
    summary.push(text(`Fitted in ${fit.seconds.toFixed(1)} s over ${fit.epochsRun} epoch${fit.epochsRun === 1 ? "" : "s"}; best epoch ${fit.bestEpoch}${fit.stoppedEarly ? " (stopped early)" : ""}. Evaluated on ${result.evaluation.users} users.`));
  }
  if (run.error) summary.push(text(`Error: ${run.error}`, "note"));

  const metrics: ReportBlock[] = [];
  if (result && Object.keys(result.test).length > 0) metrics.push(metricsTable("test-metrics", "Test metrics", result.test));
  else metrics.push(text(result ? "This run was evaluated on validation only (a search trial), so it has no test metrics." : "This run has not finished, so it has no metrics yet.", "note"));
  if (result && Object.keys(result.validation).length > 0) metrics.push(metricsTable("validation-metrics", "Validation metrics of the selected epoch", result.validation));

  // The monitored validation metric's curve (else the first one recorded), as the run page shows first.
  const curveKeys = Object.keys(history).filter((k) => k.startsWith("validation/"));
  const shown = curveKeys.includes(`validation/${monitor}`) ? `validation/${monitor}` : curveKeys[0];
  const shownLabel = shown ? metricLabel(shown.slice("validation/".length)) : "";
  const curve = shown ? curvesChart("learning-curve", `Learning curve: validation ${shownLabel}`, [{ key: shown, label: `validation ${shownLabel}`, points: history[shown] }], shownLabel) : null;
  const loss = history["train/loss"] ? curvesChart("training-loss", "Training loss", [{ key: "train/loss", label: "training loss", points: history["train/loss"] }], "loss") : null;
  const curves: ReportBlock[] = [curve, loss].filter((c): c is NonNullable<typeof c> => c !== null);

  const settings = { model: run.modelName, ...Object.fromEntries(Object.entries(config).filter(([k]) => k !== "params")) };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: "run",
    title: `Run report: ${run.name}`,
    provenance: provenance({
      datasets: [run.datasetName],
      splits: config.split === undefined ? [] : [config.split],
      seeds: typeof config.seed === "number" ? [config.seed] : [],
      backends: [run.backend],
      generatedAt,
    }),
    sections: [
      { heading: "Summary", blocks: summary },
      { heading: "Metrics", blocks: metrics },
      { heading: "Learning curve", blocks: curves.length ? curves : [text("No learning curve was recorded (a model fitted in closed form has no epochs).", "note")] },
      { heading: "Configuration", blocks: [settingsTable("hyperparameters", "Hyperparameters", config.params ?? {}), settingsTable("settings", "Run settings", settings)] },
    ],
  };
}
