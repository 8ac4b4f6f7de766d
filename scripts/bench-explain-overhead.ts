// Training-time overhead of storing explanations (lib/fairness/explanations.ts): one run per
// model through runExperiment, explaining time vs fit + test evaluation, and the artefact size.
// Usage: npx tsx scripts/bench-explain-overhead.ts [ml-100k dir] [models, default item-knn,ease,bpr]
import { existsSync } from "node:fs";
import path from "node:path";
import { importDataset } from "../lib/datasets/import";
import { generateSynthetic } from "../lib/datasets/synthetic";
import type { Dataset } from "../lib/datasets/types";
import { encodeExplanations } from "../lib/fairness/explanations";
import { resolveRunConfig, runExperiment } from "../lib/experiments/run-experiment";

async function main() {
  const dir = process.argv[2] ?? "../shared/data/ml-100k";
  const models = (process.argv[3] ?? "item-knn,ease,bpr").split(",");
  const datasets: [string, Dataset][] = [["synthetic demo", generateSynthetic({})]];
  if (existsSync(path.join(dir, "u.data"))) {
    datasets.push(["ml-100k", (await importDataset({ format: "movielens-100k", files: { ratings: path.join(dir, "u.data"), items: path.join(dir, "u.item") } })).dataset]);
  }
  for (const [name, dataset] of datasets) {
    for (const modelId of models) {
      const result = await runExperiment(dataset, resolveRunConfig({ modelId, seed: 42, ...(modelId === "bpr" ? { params: { epochs: 30 } } : {}) }));
      const e = result.explanations;
      const base = result.fit.seconds + result.test.seconds;
      const bytes = e ? encodeExplanations(e).byteLength : 0;
      console.log(
        `${name} ${modelId}: fit+test ${base.toFixed(2)} s, explain ${e ? e.seconds.toFixed(2) : "-"} s (+${e ? ((100 * e.seconds) / base).toFixed(0) : "-"}%), ` +
          `${e ? Object.keys(e.users).length : 0} users explained, ${e?.truncated ?? "-"} not, artefact ${(bytes / 1024).toFixed(0)} KB${result.explanationError ? `, error: ${result.explanationError}` : ""}`,
      );
    }
  }
}

void main();
