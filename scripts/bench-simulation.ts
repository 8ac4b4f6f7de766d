// The simulator's benchmark on MovieLens 100K: (1) a 2-arm simulated A/B test (ItemKNN ε = 0.1,
// the stochastic logging arm, against greedy EASE) with 5,000 users × up to 10 visits × 10-slot
// slates, timed with the environment build (what the A/B job does; the arms are trained runs and
// are trained beforehand, outside the timing); (2) the off-policy accuracy table: IPS, SNIPS, DM
// and DR estimates of an ε'-greedy target's CTR from 100,000 ε-greedy impressions, over 20 seeds.
// Usage:
//   npm run bench:simulation -- [--ratings ../shared/data/ml-100k/u.data] [--seeds 20] [--out bench-results/simulation.json]
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { tableToCsr } from "../lib/datasets/csr";
import { importDataset } from "../lib/datasets/import";
import { simulateAbTest } from "../lib/simulation/ab-engine";
import { buildEnvironment, simulatorConfigSchema } from "../lib/simulation/environment";
import { opeAccuracy } from "../lib/simulation/ope-accuracy";
import { policyFromRecommender } from "../lib/simulation/policies";
import { trainArm } from "../lib/simulation/trained-arm";
import { filesBeside } from "./bench/beyond";
import { fixed, formatTable } from "./bench/table";

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);
const seconds = (since: number) => (performance.now() - since) / 1000;
/** CPU seconds (user + system) of this process since `since`: the machine is shared, wall time alone overstates. */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
};

async function main() {
  const { values } = parseArgs({
    options: {
      ratings: { type: "string", default: "../shared/data/ml-100k/u.data" },
      seeds: { type: "string", default: "20" },
      out: { type: "string" },
    },
  });
  const { dataset } = await importDataset({ format: "movielens-100k", files: filesBeside(values.ratings, "movielens-100k") });
  const t0 = performance.now();
  const knn = await trainArm(dataset, "item-knn", {}, 7);
  const ease = await trainArm(dataset, "ease", { lambdaSearch: "off", lambda: 250 }, 7);
  const trainSeconds = seconds(t0);

  // (1) The A/B test, timed from the environment build.
  const t1 = performance.now();
  const cpu1 = process.cpuUsage();
  const interactions = tableToCsr(dataset.table, dataset.numUsers, dataset.numItems, true);
  const env = await buildEnvironment({ numUsers: dataset.numUsers, numItems: dataset.numItems, interactions }, simulatorConfigSchema.parse({}), 1);
  const envSeconds = seconds(t1);
  const envCpu = cpuSeconds(cpu1);
  const arms = [
    { armId: "A", label: "ItemKNN (ε = 0.1)", policy: policyFromRecommender(knn.model, knn.train, dataset.numItems, { epsilon: 0.1, seed: 1 }) },
    { armId: "B", label: "EASE", policy: policyFromRecommender(ease.model, ease.train, dataset.numItems, { seed: 2 }) },
  ];
  let reports = 0;
  const t2 = performance.now();
  const cpu2 = process.cpuUsage();
  const ab = await simulateAbTest(env, arms, { users: 5000, sessionsPerUser: 10, slateSize: 10, ratio: [1, 1], seed: 42 }, { onProgress: () => void reports++ });
  const simSeconds = seconds(t2);
  const simCpu = cpuSeconds(cpu2);
  // Worst case: every user comes back (returnBias 10), so all 5,000 × 10 visits happen.
  const everyone = { ...env, config: { ...env.config, returnBias: 10 } };
  const fresh = arms.map((arm, a) => ({ ...arm, policy: policyFromRecommender([knn, ease][a].model, [knn, ease][a].train, dataset.numItems, { epsilon: a === 0 ? 0.1 : 0, seed: a + 1 }) }));
  const t4 = performance.now();
  const cpu4 = process.cpuUsage();
  const full = await simulateAbTest(everyone, fresh, { users: 5000, sessionsPerUser: 10, slateSize: 10, ratio: [1, 1], seed: 42 });
  const fullSeconds = seconds(t4);
  const fullCpu = cpuSeconds(cpu4);
  const fullVisits = full.totals.reduce((s, t) => s + sum(t.visits), 0);
  const abRows = ab.totals.map((t, a) => {
    const clicks = sum(t.clicks), impressions = sum(t.impressions), visits = sum(t.visits);
    return [
      arms[a].label,
      String(t.visits.length),
      fixed(visits / t.visits.length, 2),
      fixed(clicks / impressions, 4),
      fixed(clicks / visits, 3),
      fixed(sum(t.dwellSeconds) / clicks, 1),
      fixed(sum(t.conversions) / clicks, 3),
      fixed(sum(t.returned) / t.returned.length, 3),
      fixed(t.distinctItemsShown / t.catalogueSize, 3),
    ];
  });
  console.log(
    `ml-100k: ${dataset.numUsers} users, ${dataset.numItems} items; arms trained in ${trainSeconds.toFixed(1)} s (ItemKNN NDCG@10 ${knn.ndcg10.toFixed(4)}, EASE ${ease.ndcg10.toFixed(4)})`,
  );
  console.log(`A/B test 5,000 users × ≤ 10 visits × 10 slots: environment ${envSeconds.toFixed(1)} s + simulation ${simSeconds.toFixed(1)} s = ${(envSeconds + simSeconds).toFixed(1)} s wall (CPU ${envCpu.toFixed(1)} + ${simCpu.toFixed(1)} s; ${reports} progress reports)\n`);
  console.log(`Every user returning (returnBias 10): ${fullVisits} visits in ${fullSeconds.toFixed(1)} s wall (CPU ${fullCpu.toFixed(1)} s)\n`);
  console.log(formatTable(["arm", "users", "visits/user", "CTR", "clicks/visit", "dwell s/click", "conv/click", "return", "coverage"], abRows));
  console.log("\nposition CTR:\n" + formatTable(["arm", ...Array.from({ length: 10 }, (_, p) => String(p + 1))], ab.positionCtr.map((r, a) => [arms[a].label, ...r.map((x) => fixed(x, 3))])));
  console.log(
    "\nOPE from arm A's logs:\n" +
      formatTable(["target", "estimator", "estimate", "95% CI", "expected", "online CTR", "support"], ab.ope.map((e) => [e.targetArmId, e.estimator, fixed(e.value, 4), `${fixed(e.ci[0], 4)}–${fixed(e.ci[1], 4)}`, fixed(e.expected ?? undefined, 4), fixed(e.truth ?? undefined, 4), fixed(e.support, 3)])),
  );

  // (2) Off-policy accuracy over seeds.
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
  const make = (epsilon: number, seed: number) => policyFromRecommender(knn.model, knn.train, dataset.numItems, { epsilon, seed });
  const t3 = performance.now();
  const targets = [0.05, 0.5];
  const tables = [];
  for (const targetEpsilon of targets) {
    const rows = await opeAccuracy(env, (seed) => ({ logging: make(0.2, seed), target: make(targetEpsilon, seed + 1000) }), { seeds, impressions: 100_000, slateSize: 10 });
    tables.push({ targetEpsilon, rows });
    console.log(`\nOPE accuracy: logging ItemKNN ε = 0.2, target ItemKNN ε' = ${targetEpsilon}; 100,000 impressions, ${seeds.length} seeds`);
    console.log(formatTable(["estimator", "mean rel. error", "95% CI coverage", "mean estimate", "mean truth"], rows.map((r) => [r.estimator, `${fixed(100 * r.meanRelativeError, 2)}%`, `${fixed(100 * r.coverage, 0)}%`, fixed(r.meanEstimate, 5), fixed(r.meanTruth, 5)])));
  }
  const opeSeconds = seconds(t3);
  console.log(`\nOPE accuracy runs: ${opeSeconds.toFixed(1)} s. Node ${process.version}, ${os.availableParallelism?.() ?? os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);

  if (values.out) {
    mkdirSync(path.dirname(values.out), { recursive: true });
    const result = { envSeconds, simSeconds, envCpu, simCpu, fullVisits, fullSeconds, fullCpu, trainSeconds, ab: { rows: abRows, positionCtr: ab.positionCtr, ope: ab.ope }, opeAccuracy: tables, opeSeconds, node: process.version };
    writeFileSync(values.out, JSON.stringify(result, null, 2));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
