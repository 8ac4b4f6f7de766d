// The sequential protocol: per-user leave-one-out by time (last item test, second-to-last
// validation), full ranking with the history masked, metrics @k, beside the PyTorch anchors of
// /work/shared/refs/README.md. Test is scored from train + validation history (the runner hands
// sequence models the validation rows through Recommender.observe), as the anchors do.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { importDataset, type ImportFormat } from "../../lib/datasets/import";
import type { Dataset } from "../../lib/datasets/types";
import { resolveRunConfig, runExperiment } from "../../lib/experiments/run-experiment";
import type { EpochProgress } from "../../lib/training/train-model";
import { getModelDefinition } from "../../lib/models/registry";
import { requireTensorflow } from "../../lib/training/tf-backend";
import { splitForRun } from "../../lib/experiments/prepare-data";
import { efficiencyRows, flopsSize, formatEfficiencyTable, matMulRateFor, type EfficiencyFigures } from "./efficiency";
import { processPeakRssMb, RssSampler } from "./memory";
import { fixed, formatTable } from "./table";

export const SEQUENTIAL_MODELS = ["pop", "gru4rec", "caser", "sasrec"];

/** PyTorch anchors (refs/README.md), by dataset file name then model: [NDCG@10, HR@10]. */
const ANCHORS: Record<string, Record<string, [number, number]>> = {
  "u.data": { sasrec: [0.1, 0.194], gru4rec: [0.078, 0.155] },
  "ratings.csv": { sasrec: [0.054, 0.095] },
};

export interface SequentialBenchResult {
  model: string;
  displayName: string;
  backend: string;
  bestEpoch: number;
  epochsRun: number;
  /** Fit seconds per epoch, validation included. */
  secondsPerEpoch: number;
  /** Training seconds per epoch, validation excluded. */
  trainSecondsPerEpoch: number;
  /** Mean seconds of one validation pass, and how many ran. */
  validationSeconds: number;
  validationPasses: number;
  fitSeconds: number;
  evalSeconds: number;
  peakRssMb: number;
  ndcg: number;
  hit: number;
  /** Validation NDCG@k of the selected epoch (what tuning reads). */
  validationNdcg?: number;
  anchor?: [number, number];
  /** The resolved hyperparameters (defaults filled in). */
  params: Record<string, unknown>;
  /** Training rows of the split (the FLOP counts' size). */
  trainInteractions: number;
  efficiency?: EfficiencyFigures;
}

export async function benchSequential(
  dataset: Dataset,
  datasetFile: string,
  modelId: string,
  k: number,
  seed: number,
  params: Record<string, unknown> = {},
  verbose = false,
): Promise<SequentialBenchResult> {
  const definition = getModelDefinition(modelId);
  const config = resolveRunConfig({ modelId, params, split: { kind: "leave-one-out" }, feedback: "implicit", ks: [k], monitor: `ndcg@${k}`, patience: 10, seed });
  const rss = new RssSampler();
  const started = performance.now();
  const onEpoch = (e: EpochProgress) => {
    rss.sample();
    const metric = e.metrics[`ndcg@${k}`];
    if (verbose) console.log(`    ${modelId} epoch ${e.epoch}: val ndcg@${k} ${metric?.toFixed(4) ?? "-"}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  };
  const result = await runExperiment(dataset, config, { onEpoch, onPhase: () => rss.sample() });
  rss.sample();
  const validationSeconds = result.history.reduce((sum, h) => sum + (h.validationSeconds ?? 0), 0);
  const validationPasses = result.history.filter((h) => h.validationSeconds !== undefined).length;
  const epochs = Math.max(1, result.fit.epochsRun);
  return {
    model: modelId,
    displayName: definition.displayName,
    backend: definition.engine === "tfjs" ? `tfjs-${requireTensorflow().backend}` : "js",
    bestEpoch: result.fit.bestEpoch,
    epochsRun: result.fit.epochsRun,
    secondsPerEpoch: result.fit.seconds / epochs,
    trainSecondsPerEpoch: (result.fit.seconds - validationSeconds) / epochs,
    validationSeconds: validationPasses > 0 ? validationSeconds / validationPasses : 0,
    validationPasses,
    fitSeconds: result.fit.seconds,
    evalSeconds: result.test.seconds,
    peakRssMb: Math.max(rss.peakMb, processPeakRssMb()),
    ndcg: result.test.summary[`ndcg@${k}`],
    hit: result.test.summary[`hit@${k}`],
    validationNdcg: result.history.find((h) => h.epoch === result.fit.bestEpoch)?.metrics[`ndcg@${k}`],
    anchor: ANCHORS[datasetFile]?.[modelId],
    params: result.config.params,
    trainInteractions: splitForRun(dataset, config).split.train.length,
  };
}

export function printSequential(results: SequentialBenchResult[], k: number): void {
  const header = ["model", "backend", "epochs", "s/epoch", "train s/epoch", "fit_s", "eval_s", "rss_MB", `val ndcg@${k}`, `ndcg@${k}`, `hr@${k}`, "anchor ndcg/hr"];
  const rows = results.map((r) => [
    r.displayName,
    r.backend,
    `${r.bestEpoch}/${r.epochsRun}`,
    fixed(r.secondsPerEpoch, 2),
    fixed(r.trainSecondsPerEpoch, 2),
    fixed(r.fitSeconds, 1),
    fixed(r.evalSeconds, 2),
    fixed(r.peakRssMb, 0),
    fixed(r.validationNdcg, 4),
    fixed(r.ndcg, 4),
    fixed(r.hit, 4),
    r.anchor ? `${r.anchor[0].toFixed(3)}/${r.anchor[1].toFixed(3)}` : "-",
  ]);
  console.log(`\nsequential protocol: leave-one-out by time, full ranking, history masked\n${formatTable(header, rows)}\n`);
}

/**
 * `--protocol sequential --dataset PATH --format u.data|csv [--models pop,gru4rec,caser,sasrec]
 * [--k 10] [--seed 42] [--params JSON] [--verbose] [--out FILE]`; --params overrides hyperparameters of every
 * listed model (tuning), --verbose logs every epoch's validation metric. Returns false unless --protocol sequential was given.
 */
export async function runSequentialProtocol(argv: string[]): Promise<boolean> {
  const at = argv.indexOf("--protocol");
  if (at < 0 || argv[at + 1] !== "sequential") return false;
  const rest = argv.filter((_, i) => i !== at && i !== at + 1);
  const { values } = parseArgs({
    args: rest,
    options: {
      dataset: { type: "string" },
      format: { type: "string", default: "u.data" },
      models: { type: "string", default: SEQUENTIAL_MODELS.join(",") },
      k: { type: "string", default: "10" },
      seed: { type: "string", default: "42" },
      params: { type: "string", default: "{}" },
      verbose: { type: "boolean", default: false },
      out: { type: "string" },
    },
  });
  const formats: Record<string, ImportFormat> = { "u.data": "movielens-100k", dat: "movielens-dat", csv: "movielens-latest" };
  const format = formats[values.format!];
  if (!values.dataset || !format) throw new Error("usage: --protocol sequential --dataset PATH --format u.data|dat|csv [--models ...] [--k 10] [--seed 42] [--params JSON] [--out FILE]");
  const k = Number(values.k), seed = Number(values.seed);
  const params = JSON.parse(values.params!) as Record<string, unknown>;
  const { dataset } = await importDataset({ format, files: { ratings: values.dataset } });
  console.log(`dataset ${values.dataset}: users=${dataset.numUsers} items=${dataset.numItems} interactions=${dataset.table.users.length}`);
  const results: SequentialBenchResult[] = [];
  const modelIds = values.models!.split(",").map((m) => m.trim()).filter(Boolean);
  const rate = await matMulRateFor(modelIds.map((id) => getModelDefinition(id).engine));
  for (const modelId of modelIds) {
    const r = await benchSequential(dataset, path.basename(values.dataset), modelId, k, seed, modelId === "pop" ? {} : params, values.verbose);
    results.push(r);
    console.log(`  ${r.displayName} [${r.backend}]: ${r.epochsRun} epochs, ${r.secondsPerEpoch.toFixed(2)} s/epoch, train ${r.trainSecondsPerEpoch.toFixed(2)} s/epoch, eval ${r.evalSeconds.toFixed(2)} s, val ndcg@${k} ${r.validationNdcg?.toFixed(4) ?? "-"}, ndcg@${k} ${r.ndcg.toFixed(4)}`);
  }
  printSequential(results, k);
  if (rate && results.length > 0) {
    // Every run trains on the same leave-one-out split.
    const rows = efficiencyRows(results, flopsSize(dataset, results[0].trainInteractions), rate);
    for (const row of rows) results.find((r) => r.model === row.model)!.efficiency = row.figures;
    if (rows.length > 0) console.log(`${formatEfficiencyTable(rows, rate)}\n`);
  }
  if (values.out) {
    mkdirSync(path.dirname(values.out), { recursive: true });
    const report = { date: new Date().toISOString(), node: process.version, protocol: "sequential leave-one-out", dataset: values.dataset, k, seed, params, results, matMulRate: rate };
    writeFileSync(values.out, JSON.stringify(report, null, 2));
    console.log(`wrote ${values.out}`);
  }
  return true;
}
