// Time and size of a comparison report of 5 finished runs on ml-100k, rendered as PDF and HTML
// (issue 12: PDF < 3 s, HTML < 1 s, each file < 2 MB on a 2-core machine). The runs are trained
// through the worker's code path (runExperiment: split, fit with validation, test evaluation
// with per-user values); the comparison (bootstrap CIs, paired tests) is what GET /api/compare
// computes; the document is assembled and rendered by lib/reports. Usage:
//   npm run bench:reports -- [--ratings ../shared/data/ml-100k/u.data] [--repeat 5] [--out bench-results/reports.json]
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { importDataset } from "../lib/datasets/import";
import { compareRuns } from "../lib/experiments/compare";
import { splitText } from "../lib/experiments/pairability";
import { runExperiment, type RunResult } from "../lib/experiments/run-experiment";
import { getModelDefinition } from "../lib/models/registry";
import { assembleComparisonReport } from "../lib/reports/assemble/comparison";
import { renderReport } from "../lib/reports/render";
import type { ComparisonView } from "../lib/server/dto";
import { filesBeside } from "./bench/beyond";
import { fixed, formatTable } from "./bench/table";

/** Five fast models; iterative ones with few epochs (the report, not the model, is timed). */
const MODELS: { modelId: string; params: Record<string, unknown> }[] = [
  { modelId: "pop", params: {} },
  { modelId: "item-knn", params: {} },
  { modelId: "ease", params: { lambdaSearch: "off" } },
  { modelId: "als", params: { epochs: 5 } },
  { modelId: "bpr", params: { epochs: 5 } },
];

async function main() {
  const { values } = parseArgs({
    options: {
      ratings: { type: "string", default: "../shared/data/ml-100k/u.data" },
      repeat: { type: "string", default: "5" },
      out: { type: "string" },
    },
  });
  if (!existsSync(values.ratings)) {
    console.log(`skipped: ${values.ratings} not found (the ml-100k ratings file u.data; pass --ratings)`);
    return;
  }
  const { dataset } = await importDataset({ format: "movielens-100k", files: filesBeside(values.ratings, "movielens-100k") });
  const trainStarted = performance.now();
  const results: ((typeof MODELS)[number] & { name: string; result: RunResult })[] = [];
  for (const m of MODELS) results.push({ ...m, name: getModelDefinition(m.modelId).displayName, result: await runExperiment(dataset, { modelId: m.modelId, params: m.params, ks: [5, 10, 20] } as never) });
  const trainSeconds = (performance.now() - trainStarted) / 1000;

  const compareStarted = performance.now();
  const comparable = results.map((r, i) => ({ id: `run-${i}`, name: r.name, datasetId: "ml-100k", datasetName: "ml-100k", split: r.result.config.split, metrics: r.result.test.summary, perUser: r.result.test.perUser }));
  const view: ComparisonView = {
    split: "test",
    runs: comparable.map((c, i) => ({ id: c.id, name: c.name, modelName: c.name, experimentId: null, role: null, evaluatedOn: `ml-100k · ${splitText(c.split)}`, params: results[i].params, metrics: c.metrics })),
    comparison: compareRuns(comparable, "ndcg@10"),
    curves: results.map((r, i) => ({ runId: `run-${i}`, points: r.result.history.filter((h) => h.metrics["ndcg@10"] !== undefined).map((h) => ({ step: h.epoch, value: h.metrics["ndcg@10"] })) })),
    varying: [],
  };
  const compareSeconds = (performance.now() - compareStarted) / 1000;
  const doc = assembleComparisonReport({ view, runs: results.map((r) => ({ datasetName: "ml-100k", split: r.result.config.split, seed: r.result.config.seed, backend: "js" })), generatedAt: new Date() });

  const timings: Record<"pdf" | "html", number[]> = { pdf: [], html: [] };
  const sizes: Record<"pdf" | "html", number> = { pdf: 0, html: 0 };
  for (let r = 0; r < Number(values.repeat); r++) {
    for (const format of ["pdf", "html"] as const) {
      const started = performance.now();
      const rendered = await renderReport(doc, format);
      timings[format].push((performance.now() - started) / 1000);
      sizes[format] = rendered.body.length;
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const targets = { pdf: 3, html: 1 };
  console.log(`ml-100k: ${dataset.numUsers} users, ${dataset.numItems} items, ${dataset.table.users.length} interactions; 5 runs trained in ${trainSeconds.toFixed(1)} s; comparison (CIs + ${view.comparison.pairs.length} paired tests) ${compareSeconds.toFixed(2)} s`);
  const ms = (seconds: number) => fixed(seconds * 1000, 1);
  console.log(formatTable(
    ["format", "first ms", "median ms", "max ms", "target ms", "size KiB", "target KiB", "ok"],
    (["pdf", "html"] as const).map((f) => [f, ms(timings[f][0]), ms(median(timings[f])), ms(Math.max(...timings[f])), String(targets[f] * 1000), fixed(sizes[f] / 1024, 1), "2048", Math.max(...timings[f]) < targets[f] && sizes[f] < 2 * 1024 * 1024 ? "yes" : "NO"]),
  ));
  for (const p of view.comparison.pairs.slice(0, 3)) console.log(`  ${p.sentence}.`);
  if (values.out) {
    mkdirSync(path.dirname(values.out), { recursive: true });
    writeFileSync(values.out, JSON.stringify({ date: new Date().toISOString(), node: process.version, machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model }, trainSeconds, compareSeconds, timings, sizes }, null, 2));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
