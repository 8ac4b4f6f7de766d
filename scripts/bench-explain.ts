// Faithfulness of the explanations (lib/fairness/explain) on MovieLens 100K: for sampled
// (user, recommended item) pairs, does leaving the top-listed history item out of the user's
// history lower the item's score? For ItemKNN / EASE also the largest gap between the summed
// contributions and the model's score. Usage:
//   npm run bench:explain -- [--dataset ../shared/data/ml-100k] [--models ease,bpr] [--pairs 500] [--out bench-results/explain.json]
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { importDataset } from "../lib/datasets/import";
import { splitDataset } from "../lib/datasets/splits";
import { prepareSplit } from "../lib/experiments/prepare-data";
import { createExplainer } from "../lib/fairness/explain/registry";
import type { Explainer, Explanation } from "../lib/fairness/explain/types";
import { getModelDefinition, listModels } from "../lib/models/registry";
import type { TrainingData } from "../lib/models/types";
import { Rng } from "../lib/util/rng";
import { rankingSplit } from "./bench/ranking-protocol";
import { fixed, formatTable } from "./bench/table";

/** Moderate training so the whole benchmark runs in minutes; models not listed use their defaults. */
const QUICK_PARAMS: Record<string, Record<string, unknown>> = {
  mf: { epochs: 40 },
  bpr: { epochs: 30 },
  als: { epochs: 10 },
  cdae: { epochs: 20 },
  "mult-dae": { epochs: 20 },
  "mult-vae": { epochs: 60 },
  neumf: { epochs: 8, pretrainEpochs: 4 },
  convmf: { epochs: 5 },
  sasrec: { epochs: 15 },
  gru4rec: { epochs: 8 },
  caser: { epochs: 8 },
};

const SEED = 42;
const TOP = 10;

interface ExplainBenchRow {
  model: string;
  displayName: string;
  kind: string;
  fitSeconds: number;
  pairs: number;
  /** Share of pairs whose score drops when the top-listed item leaves the history (none listed: absent). */
  faithful?: number;
  /** The same for the item a proxy ranks first (nearest in the learned item space, or most attended), where the model has one. */
  proxyFaithful?: number;
  /** Mean drop of the score with the top-listed item left out. */
  meanDrop: number;
  /** Exact explainers: max |Σ contributions − model score|, the largest |score| seen, and max |Σ − score| / |score|. */
  maxDecompositionError?: number;
  maxAbsScore?: number;
  maxRelativeError?: number;
  msPerExplanation: number;
}

/** 500 (user, item) pairs: distinct random users, each with a random item of their top 10 (train masked). */
function samplePairs(scores: Float32Array, data: TrainingData, count: number, rng: Rng): [number, number][] {
  const users = Array.from({ length: data.numUsers }, (_, u) => u).filter((u) => data.train.indptr[u + 1] > data.train.indptr[u]);
  rng.shuffle(users);
  const n = data.numItems;
  return users.slice(0, count).map((u) => {
    const seen = new Set(data.train.indices.subarray(data.train.indptr[u], data.train.indptr[u + 1]));
    const top = Array.from({ length: n }, (_, i) => i)
      .filter((i) => !seen.has(i))
      .sort((a, b) => scores[u * n + b] - scores[u * n + a] || a - b)
      .slice(0, TOP);
    return [u, top[rng.int(top.length)]];
  });
}

/** The history item a proxy ranks first: largest cosine in the item space, or largest attention. */
function proxyTop(e: Explanation): number | undefined {
  let best: number | undefined, bestValue = -Infinity;
  for (const x of e.items ?? []) {
    const value = x.similarity ?? x.attention;
    if (value !== undefined && value > bestValue) [best, bestValue] = [x.item, value];
  }
  return best;
}

async function benchModel(id: string, data: TrainingData, pairsWanted: number): Promise<ExplainBenchRow> {
  const definition = getModelDefinition(id);
  const params = definition.paramsSchema.parse(QUICK_PARAMS[id] ?? {}) as Record<string, unknown>;
  const model = definition.create(params, data.numUsers, data.numItems);
  const t0 = performance.now();
  await model.fit(data, { seed: SEED });
  const fitSeconds = (performance.now() - t0) / 1000;
  const all = new Float32Array(data.numUsers * data.numItems);
  model.score(Int32Array.from({ length: data.numUsers }, (_, u) => u), all);
  const pairs = samplePairs(all, data, pairsWanted, new Rng(SEED));
  const explainer: Explainer = createExplainer(id, { model, params, data });

  let faithful = 0, listed = 0, proxyFaithful = 0, proxyCount = 0, dropSum = 0, maxError = 0, maxAbs = 0, maxRelative = 0, kind = "", exact = false;
  const t1 = performance.now();
  for (const [u, i] of pairs) {
    const e = explainer.explain(u, i, { limit: Infinity });
    kind = e.kind;
    exact = e.exact && e.items !== undefined;
    const top = e.items?.[0];
    if (top) {
      listed++;
      const without = explainer.scoreWithout(u, i, top.item);
      if (without < e.score) faithful++;
      dropSum += e.score - without;
    }
    const proxy = proxyTop(e);
    if (proxy !== undefined) {
      proxyCount++;
      if (explainer.scoreWithout(u, i, proxy) < e.score) proxyFaithful++;
    }
    if (e.exact && e.items) {
      const sum = e.items.reduce((s, x) => s + x.weight, 0);
      const modelScore = all[u * data.numItems + i];
      maxError = Math.max(maxError, Math.abs(sum - modelScore));
      maxAbs = Math.max(maxAbs, Math.abs(modelScore));
      if (modelScore !== 0) maxRelative = Math.max(maxRelative, Math.abs(sum - modelScore) / Math.abs(modelScore));
    }
  }
  const ms = (performance.now() - t1) / pairs.length;
  return {
    model: id,
    displayName: definition.displayName,
    kind,
    fitSeconds,
    pairs: pairs.length,
    ...(listed > 0 ? { faithful: faithful / listed } : {}),
    ...(proxyCount > 0 ? { proxyFaithful: proxyFaithful / proxyCount } : {}),
    meanDrop: dropSum / Math.max(1, listed),
    ...(exact ? { maxDecompositionError: maxError, maxAbsScore: maxAbs, maxRelativeError: maxRelative } : {}),
    msPerExplanation: ms,
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      dataset: { type: "string", default: "../shared/data/ml-100k" },
      models: { type: "string", default: listModels().map((d) => d.id).join(",") },
      pairs: { type: "string", default: "500" },
      out: { type: "string" },
    },
  });
  const ratings = path.join(values.dataset, "u.data");
  if (!existsSync(ratings)) {
    console.log(`bench:explain skipped: MovieLens 100K not found at ${values.dataset} (expects u.data and u.item; pass --dataset DIR).`);
    return;
  }
  const { dataset } = await importDataset({ format: "movielens-100k", files: { ratings, items: path.join(values.dataset, "u.item") } });
  const split = splitDataset(dataset.table, dataset.numUsers, rankingSplit(SEED, "numpy"));
  console.log(`ml-100k: ${dataset.numUsers} users, ${dataset.numItems} items; per-user random 8:1:1 split (seed ${SEED}), ${values.pairs} (user, top-${TOP} item) pairs`);
  const rows: ExplainBenchRow[] = [];
  for (const id of values.models.split(",")) {
    const definition = getModelDefinition(id);
    const data = prepareSplit(dataset, split, definition.feedback === "explicit" ? "explicit" : "implicit").train;
    const row = await benchModel(id, data, Number(values.pairs));
    rows.push(row);
    console.log(`  ${row.displayName}: fit ${row.fitSeconds.toFixed(1)} s, faithful ${fixed(row.faithful, 3)}, ${row.msPerExplanation.toFixed(1)} ms per explanation`);
  }
  const header = ["model", "explanation", "top item lowers the score", "proxy's top item lowers it", "mean drop", "max |Σ − score|", "max relative", "ms / explanation", "fit s"];
  const table = rows.map((r) => [
    r.displayName,
    r.kind,
    fixed(r.faithful, 3),
    fixed(r.proxyFaithful, 3),
    fixed(r.meanDrop, 4),
    r.maxDecompositionError === undefined ? "-" : `${r.maxDecompositionError.toExponential(1)} (|score| ≤ ${fixed(r.maxAbsScore, 1)})`,
    r.maxRelativeError === undefined ? "-" : r.maxRelativeError.toExponential(1),
    fixed(r.msPerExplanation, 1),
    fixed(r.fitSeconds, 1),
  ]);
  console.log(`\n${formatTable(header, table)}`);
  if (values.out) {
    mkdirSync(path.dirname(values.out), { recursive: true });
    writeFileSync(values.out, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rows }, null, 2));
    console.log(`wrote ${values.out}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
