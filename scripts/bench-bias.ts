// Time of one run's bias report on a real dataset: the worker path (split, fit, test evaluation
// keeping the top-K lists), then what GET /api/runs/:id/bias does per request (decode the
// dataset, the per-user metrics and the lists from their stored bytes, build the report).
// Prints a table and optionally writes JSON. Usage:
//   npm run bench:bias -- [--ratings ../shared/data/ml-latest-small/ratings.csv] [--model item-knn] [--repeat 3] [--out bench-results/bias.json]
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { decodeDataset, encodeDataset } from "../lib/datasets/codec";
import { importDataset } from "../lib/datasets/import";
import { runExperiment } from "../lib/experiments/run-experiment";
import { buildBiasReport } from "../lib/fairness/bias-report";
import { decodeRunLists, encodeRunLists } from "../lib/fairness/run-lists";
import { decodePerUser, encodePerUser } from "../lib/metrics/per-user";
import { getModelDefinition } from "../lib/models/registry";
import { filesBeside } from "./bench/beyond";
import { fixed, formatTable } from "./bench/table";

async function main() {
  const { values } = parseArgs({
    options: {
      ratings: { type: "string", default: "../shared/data/ml-latest-small/ratings.csv" },
      model: { type: "string", default: "item-knn" },
      repeat: { type: "string", default: "3" },
      out: { type: "string" },
    },
  });
  const t0 = performance.now();
  const { dataset } = await importDataset({ format: "movielens-latest", files: filesBeside(values.ratings, "movielens-latest") });
  const importSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const result = await runExperiment(dataset, { modelId: values.model, ks: [5, 10, 20] } as never);
  const trainSeconds = (performance.now() - t1) / 1000;
  if (!result.test.lists) throw new Error("the run kept no top-K lists");
  const blobs = encodeDataset(dataset);
  const perUserBytes = encodePerUser(result.test.perUser);
  const listBytes = encodeRunLists(result.test.lists);
  const meta = { numUsers: dataset.numUsers, numItems: dataset.numItems, feedback: dataset.feedback, hasTimestamps: dataset.hasTimestamps };
  const rows: string[][] = [];
  const timings: number[] = [];
  let report = null;
  for (let r = 0; r < Number(values.repeat); r++) {
    const started = performance.now();
    const loaded = decodeDataset(blobs, meta);
    const decodeSeconds = (performance.now() - started) / 1000;
    report = buildBiasReport({
      run: { id: "bench", name: "bench", modelName: getModelDefinition(values.model).displayName, test: result.test.summary },
      dataset: loaded,
      perUser: decodePerUser(perUserBytes),
      lists: decodeRunLists(listBytes),
    });
    const seconds = (performance.now() - started) / 1000;
    timings.push(seconds);
    rows.push([String(r + 1), report.groupBy, String(report.groupMetrics.groups.length), String(report.groupMetrics.gaps.length), fixed(decodeSeconds, 3), fixed(seconds, 3)]);
  }
  console.log(
    `${path.basename(path.dirname(values.ratings))}: ${dataset.numUsers} users, ${dataset.numItems} items, ${dataset.table.users.length} interactions; ` +
      `import ${importSeconds.toFixed(1)} s, ${values.model} split + fit + test ${trainSeconds.toFixed(1)} s; stored lists ${(listBytes.length / 1024).toFixed(0)} KiB`,
  );
  console.log(formatTable(["repeat", "groupBy", "groups", "gaps tested", "decode s", "report s"], rows));
  for (const v of report?.verdicts ?? []) console.log(`  ${v}`);
  if (values.out) {
    mkdirSync(path.dirname(values.out), { recursive: true });
    writeFileSync(values.out, JSON.stringify({ date: new Date().toISOString(), node: process.version, machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model }, importSeconds, trainSeconds, timings, verdicts: report?.verdicts }, null, 2));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
