import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { importDataset } from "../../lib/datasets/import";
import { generateSynthetic } from "../../lib/datasets/synthetic";
import type { Dataset } from "../../lib/datasets/types";
import { resolveRunConfig, runExperiment } from "../../lib/experiments/run-experiment";
import { getModelDefinition } from "../../lib/models/registry";
import { efficiencyRows, flopsSize, formatEfficiencyTable, matMulRateFor, type EfficiencyFigures, type TimedFit } from "./efficiency";
import { fixed, formatTable } from "./table";

export interface ColdStartResult extends TimedFit {
  dataset: string;
  model: string;
  displayName: string;
  fitSeconds: number;
  bestEpoch: number;
  epochsRun: number;
  metrics: Record<string, number>;
  users: number;
  candidateItems: number;
  constantScoreUsers: number;
  efficiency?: EfficiencyFigures;
}

/**
 * Item cold-start protocol: whole items held out (items 80/10/10, seed), implicit feedback, test
 * ranked among the held-out test items only, ties broken at random (lib/experiments/cold-start.ts).
 * Datasets: the synthetic generator (genre-bearing titles) and MovieLens 100K with u.item
 * (titles + genres) when present.
 */
export async function benchColdStart(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      protocol: { type: "string" },
      ml100k: { type: "string", default: "../shared/data/ml-100k" },
      models: { type: "string", default: "pop,item-knn,ease,als,convmf" },
      k: { type: "string", default: "10" },
      seed: { type: "string", default: "42" },
      out: { type: "string" },
    },
  });
  const k = Number(values.k), seed = Number(values.seed);
  const models = values.models!.split(",").map((m) => m.trim()).filter(Boolean);
  const datasets: [string, Dataset][] = [["synthetic (seed 11)", generateSynthetic({ seed: 11 })]];
  const dir = values.ml100k!;
  if (existsSync(path.join(dir, "u.data")) && existsSync(path.join(dir, "u.item"))) {
    const { dataset } = await importDataset({ format: "movielens-100k", files: { ratings: path.join(dir, "u.data"), items: path.join(dir, "u.item") } });
    datasets.push(["ml-100k", dataset]);
  } else {
    console.log(`skipping ml-100k: ${dir}/u.data and u.item not found (MovieLens is not redistributed; pass --ml100k DIR)`);
  }

  const results: ColdStartResult[] = [];
  const rate = await matMulRateFor(models.map((id) => getModelDefinition(id).engine));
  for (const [name, dataset] of datasets) {
    const ofDataset: ColdStartResult[] = [];
    for (const modelId of models) {
      const definition = getModelDefinition(modelId);
      const config = resolveRunConfig({
        modelId,
        split: { kind: "item-cold-start", ratios: [0.8, 0.1, 0.1], seed },
        feedback: "implicit",
        ks: [k],
        monitor: `ndcg@${k}`,
        seed,
      });
      const r = await runExperiment(dataset, config);
      const validationTotal = r.history.reduce((sum, h) => sum + (h.validationSeconds ?? 0), 0);
      const validationPasses = r.history.filter((h) => h.validationSeconds !== undefined).length;
      const row: ColdStartResult = {
        dataset: name,
        model: modelId,
        displayName: definition.displayName,
        fitSeconds: r.fit.seconds,
        bestEpoch: r.fit.bestEpoch,
        epochsRun: r.fit.epochsRun,
        metrics: r.test.summary,
        users: r.test.numUsers,
        candidateItems: r.coldStart?.candidateItems ?? 0,
        constantScoreUsers: r.coldStart?.constantScoreUsers ?? 0,
        params: r.config.params,
        trainSecondsPerEpoch: (r.fit.seconds - validationTotal) / Math.max(1, r.fit.epochsRun),
        validationSeconds: validationPasses > 0 ? validationTotal / validationPasses : 0,
        validationPasses,
      };
      results.push(row);
      ofDataset.push(row);
      console.log(`  ${name} ${definition.displayName}: fit ${row.fitSeconds.toFixed(2)} s, ndcg@${k} ${fixed(row.metrics[`ndcg@${k}`], 4)}`);
    }
    const efficiency = rate ? efficiencyRows(ofDataset, flopsSize(dataset), rate) : [];
    for (const e of efficiency) ofDataset.find((r) => r.model === e.model)!.efficiency = e.figures;
    if (rate && efficiency.length > 0) console.log(`\n${name}: ${formatEfficiencyTable(efficiency, rate)}\n`);
  }
  const header = ["dataset", "model", "fit_s", "epochs", `ndcg@${k}`, `recall@${k}`, `hit@${k}`, `mrr@${k}`, "users", "candidates", "constant_%"];
  const rows = results.map((r) => [
    r.dataset,
    r.displayName,
    fixed(r.fitSeconds, 2),
    `${r.bestEpoch}/${r.epochsRun}`,
    fixed(r.metrics[`ndcg@${k}`], 4),
    fixed(r.metrics[`recall@${k}`], 4),
    fixed(r.metrics[`hit@${k}`], 4),
    fixed(r.metrics[`mrr@${k}`], 4),
    r.users,
    r.candidateItems,
    fixed((100 * r.constantScoreUsers) / Math.max(1, r.users), 1),
  ]);
  console.log(`\nItem cold start (items 80/10/10, test ranked among held-out test items, random tie-break)\n${formatTable(header, rows)}\n`);
  return { coldStart: { protocol: "item-cold-start 80/10/10 of items, implicit, candidates = test items", k, results, matMulRate: rate }, out: values.out };
}
