// Autoencoder epochs at the issue-15 scale (2,000 users × 17,000 items × ~90,000 interactions,
// the synthetic data of `bench.ts --protocol scale`): seconds per training epoch with the defaults
// a launch would use, without validation. A short probe beside the full fit of the scale protocol.
//   npx tsx scripts/bench-ae-epochs.ts cdae,mult-vae [EPOCHS=3]     (RECLAB_TF_MATMUL=wasm: XNNPACK)
import os from "node:os";
import { generateSynthetic } from "../lib/datasets/synthetic";
import { applyAutoDefaults } from "../lib/experiments/auto-params";
import { prepareSplit, splitForRun } from "../lib/experiments/prepare-data";
import { resolveRunConfig } from "../lib/experiments/run-config";
import { getModelDefinition } from "../lib/models/registry";
import { nativeMatMulActive } from "../lib/training/native-matmul";
import { trainModel } from "../lib/training/train-model";

const models = (process.argv[2] ?? "cdae,mult-vae").split(",");
const epochs = Number(process.argv[3] ?? 3);
const [numUsers, numItems] = [2000, 17000];
const dataset = generateSynthetic({ numItems, numUsers, interactionsPerUser: 45, seed: 5 });
const shape = { users: numUsers, items: numItems, interactions: dataset.table.users.length };
for (const modelId of models) {
  const config = resolveRunConfig(applyAutoDefaults({ modelId, params: {}, feedback: "implicit", ks: [10] }, shape) as never);
  const { split } = splitForRun(dataset, config);
  const data = prepareSplit(dataset, split, "implicit");
  const times: number[] = [];
  let t0 = performance.now();
  await trainModel({ definition: getModelDefinition(modelId), params: { ...config.params, epochs }, data: data.train, seed: 42, threads: 1, onEpoch: () => { const t = performance.now(); times.push((t - t0) / 1000); t0 = t; } });
  console.log(`${modelId}: native matMul ${nativeMatMulActive()}, epoch s ${times.map((t) => t.toFixed(2)).join(" ")}, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
}
