// Batch-normalisation ablation under the ranking benchmark protocol (scripts/bench.ts: per-user
// random 8:1:1 split with NumPy's shuffle, full ranking, early stopping on validation NDCG@K):
// one model with and without `batchNorm` on every seed (split and model seed), everything else
// at its defaults. Paired over users as RecLab's ablation experiments are (lib/experiments/
// summarize.ts): per-user NDCG@K difference averaged over the seeds, a bootstrap 95% CI, the paired
// t-test and the Wilcoxon signed-rank test, and the comparison sentence of lib/experiments/compare.ts.
// Usage:
//   npm run bench:batch-norm -- [--dataset ../shared/data/ml-100k/u.data] [--model mult-dae] [--seeds 1-3] [--params JSON] [--out bench-results/batch-norm.json]
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { importDataset } from "../lib/datasets/import";
import { describePair } from "../lib/experiments/compare";
import { resolveRunConfig, runExperiment } from "../lib/experiments/run-experiment";
import { ablationDeltas, type AblationRun } from "../lib/experiments/summarize";
import { alignPerUser } from "../lib/metrics/per-user";
import { getModelDefinition } from "../lib/models/registry";
import { pairedTTest, wilcoxonSignedRank } from "../lib/stats/paired-tests";
import { loadTensorflow, runBackendLabel } from "../lib/training/tf-backend";
import { filesBeside } from "./bench/beyond";
import { rankingSplit } from "./bench/ranking-protocol";
import { parseSeedList } from "./bench/seeds";
import { fixed, formatTable } from "./bench/table";

const { values: args } = parseArgs({
  options: {
    dataset: { type: "string", default: "../shared/data/ml-100k/u.data" },
    model: { type: "string", default: "mult-dae" },
    seeds: { type: "string", default: "1-3" },
    k: { type: "string", default: "10" },
    params: { type: "string", default: "{}" },
    out: { type: "string", default: "bench-results/batch-norm.json" },
  },
});

interface Row {
  seed: number;
  batchNorm: boolean;
  ndcg: number;
  bestEpoch: number;
  epochsRun: number;
  fitSeconds: number;
  secondsPerEpoch: number;
}

async function main() {
  const k = Number(args.k);
  const seeds = parseSeedList(args.seeds!);
  const definition = getModelDefinition(args.model!);
  if (!("batchNorm" in definition.paramsSchema.shape)) throw new Error(`${definition.displayName} has no batchNorm switch`);
  const extra = JSON.parse(args.params!) as Record<string, unknown>;
  const metric = `ndcg@${k}`;
  const { dataset } = await importDataset({ format: "movielens-100k", files: filesBeside(args.dataset!, "movielens-100k") });
  const backend = runBackendLabel((await loadTensorflow()).backend);
  console.log(`${definition.displayName} ± batch norm on ${args.dataset} (${dataset.numUsers} users, ${dataset.numItems} items), seeds ${seeds.join(", ")}, ${backend}`);

  const rows: Row[] = [];
  const runs: Record<"on" | "off", AblationRun[]> = { on: [], off: [] };
  for (const seed of seeds) {
    for (const batchNorm of [false, true]) {
      const config = resolveRunConfig({ modelId: definition.id, params: { ...extra, batchNorm }, split: rankingSplit(seed, "numpy"), feedback: "implicit", ks: [k], monitor: metric, seed });
      const result = await runExperiment(dataset, config);
      const validation = result.history.reduce((s, h) => s + (h.validationSeconds ?? 0), 0);
      const row: Row = {
        seed,
        batchNorm,
        ndcg: result.test.summary[metric],
        bestEpoch: result.fit.bestEpoch,
        epochsRun: result.fit.epochsRun,
        fitSeconds: result.fit.seconds,
        secondsPerEpoch: (result.fit.seconds - validation) / Math.max(1, result.fit.epochsRun),
      };
      rows.push(row);
      runs[batchNorm ? "on" : "off"].push({ seed, test: result.test.summary, perUser: result.test.perUser });
      console.log(`  seed ${seed} batchNorm ${batchNorm}: ${metric} ${row.ndcg.toFixed(4)}, best epoch ${row.bestEpoch}/${row.epochsRun}, fit ${row.fitSeconds.toFixed(1)} s`);
    }
  }

  // The product's ablation summary (base = without batch norm, the default), then the sentence.
  const [, withBn] = ablationDeltas([
    { name: "without batch norm", runIds: [], runs: runs.off },
    { name: "with batch norm", runIds: [], runs: runs.on },
  ]);
  const delta = withBn.deltas[metric];
  const { on, off } = perUserMeans(runs.on, runs.off, metric);
  const t = pairedTTest(on, off), w = wilcoxonSignedRank(on, off);
  const pair = { a: "on", b: "off", paired: true as const, n: on.length, meanDifference: t.meanDifference, tTestP: t.p, wilcoxonP: w.p, tTestPHolm: t.p, wilcoxonPHolm: w.p, significant: Math.max(t.p, w.p) < 0.05 };
  const sentence = describePair(pair, `${definition.displayName} with batch norm`, `${definition.displayName} without`, metric, 1);

  const table = formatTable(
    ["seed", "batchNorm", metric, "best/run", "fit_s", "epoch_s"],
    rows.map((r) => [r.seed, String(r.batchNorm), fixed(r.ndcg, 4), `${r.bestEpoch}/${r.epochsRun}`, fixed(r.fitSeconds, 1), fixed(r.secondsPerEpoch, 3)]),
  );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanOf = (bn: boolean) => mean(rows.filter((r) => r.batchNorm === bn).map((r) => r.ndcg));
  console.log(`\n${table}\n`);
  console.log(`mean ${metric}: without ${meanOf(false).toFixed(4)}, with ${meanOf(true).toFixed(4)}; Δ ${delta.delta.toFixed(4)} [${delta.low?.toFixed(4)}, ${delta.high?.toFixed(4)}] (per-user bootstrap 95% CI)`);
  console.log(`${sentence} — per-user ${metric} averaged over ${seeds.length} seeds.\n`);

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, totalMemoryGb: os.totalmem() / 2 ** 30 },
    backend,
    model: definition.id,
    dataset: args.dataset,
    seeds,
    params: extra,
    protocol: "implicit, per-user random 8:1:1 (NumPy shuffle), full ranking, train+validation masked, early stopping on validation",
    rows,
    meanWithout: meanOf(false),
    meanWith: meanOf(true),
    delta,
    tTest: t,
    wilcoxon: w,
    sentence,
  };
  mkdirSync(path.dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, JSON.stringify(report, null, 2));
  console.log(`wrote ${args.out}`);
}

/** Per-user metric averaged over the seeds both variants ran, for the users evaluated in every seed. */
function perUserMeans(on: AblationRun[], off: AblationRun[], metric: string): { on: Float64Array; off: Float64Array } {
  const sums = new Map<number, { on: number; off: number; count: number }>();
  for (const a of on) {
    const b = off.find((r) => r.seed === a.seed);
    if (!a.perUser || !b?.perUser) continue;
    const aligned = alignPerUser(a.perUser, b.perUser, metric);
    aligned.users.forEach((u, i) => {
      const e = sums.get(u) ?? { on: 0, off: 0, count: 0 };
      e.on += aligned.a[i];
      e.off += aligned.b[i];
      e.count++;
      sums.set(u, e);
    });
  }
  const kept = [...sums.values()].filter((e) => e.count === on.length);
  return { on: Float64Array.from(kept, (e) => e.on / e.count), off: Float64Array.from(kept, (e) => e.off / e.count) };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
