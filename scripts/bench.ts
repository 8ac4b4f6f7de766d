// Benchmarks RecLab models on a dataset under the ranking protocol of refs/ref_ranking.py, and
// (with --rating-splits) biased MF's RMSE on the official MovieLens 100K folds. Prints tables
// and writes JSON. Usage: see scripts/bench/args.ts, or run with no arguments.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describeCleaning } from "../lib/datasets/cleaning-summary";
import { importDataset } from "../lib/datasets/import";
import type { Dataset } from "../lib/datasets/types";
import { getModelDefinition } from "../lib/models/registry";
import { describeAuto, type AutoRecord } from "../lib/experiments/auto-params";
import { parseBenchArgs, type BenchArgs } from "./bench/args";
import { formatSeedTable } from "./bench/seeds";
import { runProtocol } from "./bench/protocols";
import { runSequentialProtocol } from "./bench/sequential";
import { benchRanking, type RankingBenchOptions, type RankingBenchResult } from "./bench/ranking-protocol";
import { benchRatingSplits, type FoldResult } from "./bench/rating-splits";
import { describeShortHead, filesBeside, formatGroupGaps } from "./bench/beyond";
import { fixed, formatBeyondTable, formatTable } from "./bench/table";
import { efficiencyRows, flopsSize, formatEfficiencyTable, matMulRateFor } from "./bench/efficiency";

const RANKING_COLUMNS = ["precision", "recall", "ndcg", "map", "hit", "mrr"];

async function main() {
  if (await runSequentialProtocol(process.argv.slice(2))) return; // --protocol sequential (scripts/bench/sequential.ts)
  if (await runProtocol(process.argv.slice(2))) return; // --protocol cold-start | scale (scripts/bench/protocols.ts)
  const args = parseBenchArgs(process.argv.slice(2));
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, totalMemoryGb: os.totalmem() / 2 ** 30 },
    args,
  };

  if (args.dataset) {
    const { dataset, report: cleaning } = await importDataset({ format: args.format, files: filesBeside(args.dataset, args.format) });
    console.log(`dataset ${args.dataset}: users=${dataset.numUsers} items=${dataset.numItems} interactions=${dataset.table.users.length}`);
    console.log(`cleaning (default options): ${describeCleaning(undefined, cleaning).join(" ")}`);
    console.log(`split: per-user random 8:1:1, ${args.shuffle === "numpy" ? "NumPy's shuffle (ref_ranking.py's rows)" : "RecLab's shuffle"}`);
    if (args.seeds) report.seeds = await benchSeeds(dataset, args, args.seeds);
    else report.ranking = await benchOneSplit(dataset, args);
  }

  if (args.ratingSplits) {
    const folds = await benchRatingSplits(args.ratingSplits, "mf", args.seed);
    printFolds(folds);
    report.ratingSplits = { model: "mf", folds, meanRmse: mean(folds.map((f) => f.rmse)), stdRmse: std(folds.map((f) => f.rmse)) };
  }

  writeReport(args.out, report);
}

/** Every model on the split of `--seed`: the full side-by-side table. */
async function benchOneSplit(dataset: Dataset, args: BenchArgs) {
  const results: RankingBenchResult[] = [];
  const rate = await matMulRateFor(args.models.map((id) => getModelDefinition(id).engine));
  for (const modelId of args.models) {
    const r = await benchRanking(dataset, modelId, benchOptions(args, modelId, args.seed));
    results.push(r);
    for (const line of describeAuto((r.config as { auto?: AutoRecord }).auto)) console.log(`    auto ${line.field} = ${line.value}: ${line.reason}`);
    console.log(`  ${r.displayName}: fit ${r.fitSeconds.toFixed(2)} s (best epoch ${r.bestEpoch}/${r.epochsRun} at ${r.secondsToBestEpoch.toFixed(2)} s), eval ${r.evalSeconds.toFixed(3)} s`);
  }
  printRanking(results, args.k);
  const efficiency = rate ? efficiencyRows(results, flopsSize(dataset), rate) : [];
  if (rate && efficiency.length > 0) console.log(`${formatEfficiencyTable(efficiency, rate)}\n`);
  console.log(`${describeShortHead(dataset, args.seed, args.shuffle)}\n\n${formatBeyondTable(results, args.k)}\n`);
  const gaps = results.map((r) => formatGroupGaps(r.displayName, r.groups)).filter(Boolean);
  if (gaps.length > 0) console.log(`Group gaps (10,000 permutations, seed ${args.seed}):\n${gaps.join("\n")}\n`);
  return {
    protocol: "implicit, per-user random 8:1:1, full ranking, train+validation masked",
    shuffle: args.shuffle,
    k: args.k,
    results: results.map((r) => ({ ...r, efficiency: efficiency.find((e) => e.model === r.model)?.figures })),
    matMulRate: rate,
  };
}

/** Popularity has no hyperparameters, so --params skips it. */
function benchOptions(args: BenchArgs, modelId: string, seed: number): RankingBenchOptions {
  return { k: args.k, seed, params: modelId === "pop" ? {} : args.params, shuffle: args.shuffle, verbose: args.verbose, staticDefaults: args.staticDefaults };
}

function writeReport(out: string | undefined, report: Record<string, unknown>) {
  if (!out) return;
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2));
  console.log(`wrote ${out}`);
}

/** Every model on every seed's split (--seeds): test metric@k per seed, mean and sd. */
async function benchSeeds(dataset: Dataset, args: BenchArgs, seeds: number[]) {
  const metric = `ndcg@${args.k}`;
  const rows: { model: string; values: number[] }[] = [];
  for (const modelId of args.models) {
    const values: number[] = [];
    for (const seed of seeds) {
      const r = await benchRanking(dataset, modelId, benchOptions(args, modelId, seed));
      values.push(r.metrics[metric]);
      console.log(`  ${r.displayName} seed ${seed}: ${metric} ${r.metrics[metric].toFixed(4)} (fit ${r.fitSeconds.toFixed(2)} s)`);
    }
    rows.push({ model: getModelDefinition(modelId).displayName, values });
  }
  console.log(`\n${formatSeedTable(metric, seeds, rows)}\n`);
  return { metric, seeds, rows };
}

function printRanking(results: RankingBenchResult[], k: number) {
  const header = ["model", "fit_s", "best_s", "epochs", "eval_s", ...RANKING_COLUMNS.map((m) => `${m}@${k}`), "rmse", "rss_MB", "backend", "epoch_s", "val_s"];
  const rows = results.map((r) => [
    r.displayName,
    fixed(r.fitSeconds, 2),
    fixed(r.secondsToBestEpoch, 2),
    `${r.bestEpoch}/${r.epochsRun}`,
    fixed(r.evalSeconds, 3),
    ...RANKING_COLUMNS.map((m) => fixed(r.metrics[`${m}@${k}`], 4)),
    fixed(r.metrics.rmse, 4),
    fixed(r.peakRssMb, 0),
    r.backend,
    fixed(r.trainSecondsPerEpoch, 3),
    fixed(r.validationSeconds, 3),
  ]);
  console.log(`\n${formatTable(header, rows)}\n`);
}

function printFolds(folds: FoldResult[]) {
  const rows = folds.map((f) => [f.fold, fixed(f.rmse, 4), fixed(f.mae, 4), fixed(f.fitSeconds, 2), f.epochs]);
  console.log(`\nMF on official ml-100k folds\n${formatTable(["fold", "rmse", "mae", "fit_s", "epochs"], rows)}`);
  const rmse = folds.map((f) => f.rmse);
  console.log(`mean RMSE ${mean(rmse).toFixed(4)} ± ${std(rmse).toFixed(4)} (sd over folds)\n`);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
