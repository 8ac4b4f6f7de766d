// Bandit and RL recommenders learning online (lib/models/bandits): cumulative clicks, dwell and
// pseudo-regret against the oracle (the slate of highest attraction × examination) at
// checkpoints, for ε-greedy, LinUCB, Thompson sampling, the DQN agent and a random policy.
//   --env ml-100k    the simulator (lib/simulation/environment.ts) built on all of MovieLens 100K's
//                    interactions; the bandits learn item vectors from an 80% random training
//                    split, and each user's training items (oldest first) are their history.
//   --env synthetic  the seeded linear environment of the unit tests (true item features).
// Usage:
//   npm run bench:bandits -- [--env ml-100k|synthetic] [--dataset ../shared/data/ml-100k]
//     [--visits 10000] [--slate 10] [--seed 42] [--policies epsilon-greedy,linucb,thompson,dqn,random]
//     [--out bench-results/bandits.json] [--engine-users 2000 --engine-sessions 5]
// With --engine-users N (ml-100k only) each policy also runs as the single arm of a simulated A/B
// test (lib/simulation/ab-engine.ts: N users × sessions) and its CTR, clicks per session and
// dwell are printed — a check that the engine feeds observe() and the bandits learn through it.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { selectRows, tableToCsr } from "../lib/datasets/csr";
import { importDataset } from "../lib/datasets/import";
import { splitDataset } from "../lib/datasets/splits";
import type { Csr } from "../lib/datasets/types";
import { BANDIT_KINDS, banditOnFeatures, createBanditPolicy, type BanditKind } from "../lib/models/bandits";
import { runOnline, regretSlopes, type GroundTruth, type OnlineCurve } from "../lib/models/bandits/online-loop";
import { RandomPolicy } from "../lib/models/bandits/random-policy";
import { syntheticWorld } from "../lib/models/bandits/synthetic";
import { buildUserSequences } from "../lib/models/sequential/sequences";
import { simulateAbTest, type AbSimulationOptions } from "../lib/simulation/ab-engine";
import { buildEnvironment, simulatorConfigSchema, type SimulationEnvironment } from "../lib/simulation/environment";
import type { SlatePolicy } from "../lib/simulation/types";
import { fixed, formatTable } from "./bench/table";

interface Setting {
  label: string;
  env: GroundTruth;
  /** The full simulator, for single-arm A/B runs (absent for the synthetic environment). */
  abEnv?: SimulationEnvironment;
  histories: Csr;
  growHistory: boolean;
  makePolicy: (kind: BanditKind) => Promise<SlatePolicy>;
}

async function main() {
  const { values } = parseArgs({
    options: {
      env: { type: "string", default: "ml-100k" },
      dataset: { type: "string", default: "../shared/data/ml-100k" },
      visits: { type: "string", default: "10000" },
      slate: { type: "string", default: "10" },
      seed: { type: "string", default: "42" },
      policies: { type: "string", default: [...BANDIT_KINDS, "random"].join(",") },
      out: { type: "string" },
      "engine-users": { type: "string", default: "0" },
      "engine-sessions": { type: "string", default: "5" },
    },
  });
  const visits = Number(values.visits), slateSize = Number(values.slate), seed = Number(values.seed);
  const policies = values.policies.split(",");
  for (const p of policies) if (p !== "random" && !BANDIT_KINDS.includes(p as BanditKind)) throw new Error(`unknown policy "${p}"`);
  const started = performance.now();
  const setting = values.env === "synthetic" ? syntheticSetting(seed) : await simulatorSetting(values.dataset, seed);
  console.log(`${setting.label}; setup ${((performance.now() - started) / 1000).toFixed(1)} s; ${visits} visits, K = ${slateSize}, seed ${seed}`);

  const checkpoints = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 1].map((f) => Math.max(1, Math.round(f * visits)));
  const summary: (string | number)[][] = [];
  const report: Record<string, unknown> = {};
  for (const name of policies) {
    const t0 = performance.now();
    const policy = name === "random" ? new RandomPolicy(setting.env.numItems, seed) : await setting.makePolicy(name as BanditKind);
    const curve = runOnline(setting.env, policy, { visits, slateSize, seed, histories: setting.histories, growHistory: setting.growHistory });
    (policy as { dispose?: () => void }).dispose?.();
    const seconds = (performance.now() - t0) / 1000;
    const slopes = regretSlopes(curve.regret);
    console.log(`\n${name} (${seconds.toFixed(1)} s)\n${checkpointTable(curve, checkpoints)}`);
    const last = visits - 1;
    summary.push([name, curve.clicks[last], fixed(curve.expected[last], 1), fixed(curve.oracle[last], 1), fixed(curve.regret[last], 1), fixed(slopes.first, 4), fixed(slopes.last, 4), fixed(seconds, 1)]);
    report[name] = { seconds, slopes, checkpoints: checkpoints.map((t) => ({ visits: t, ...pointAt(curve, t - 1) })) };
  }
  console.log(`\nsummary\n${formatTable(["policy", "clicks", "expected", "oracle", "regret", "slope Q1", "slope Q4", "seconds"], summary)}`);
  const engineUsers = Number(values["engine-users"]);
  const engine =
    engineUsers > 0 && setting.abEnv
      ? await engineTable(setting, policies, { users: engineUsers, sessionsPerUser: Number(values["engine-sessions"]), slateSize, ratio: [1], seed })
      : undefined;
  if (values.out) {
    mkdirSync(path.dirname(values.out), { recursive: true });
    const meta = { date: new Date().toISOString(), node: process.version, machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model }, env: setting.label, visits, slateSize, seed };
    writeFileSync(values.out, JSON.stringify({ ...meta, policies: report, engine }, null, 2));
  }
}

/** The simulator on all of the dataset's interactions; the bandits see an 80% training split. */
async function simulatorSetting(dir: string, seed: number): Promise<Setting> {
  const { dataset } = await importDataset({ format: "movielens-100k", files: { ratings: path.join(dir, "u.data"), items: path.join(dir, "u.item") } });
  const { numUsers, numItems } = dataset;
  const env = await buildEnvironment({ numUsers, numItems, interactions: tableToCsr(dataset.table, numUsers, numItems, true) }, simulatorConfigSchema.parse({}), seed);
  const split = splitDataset(dataset.table, numUsers, { kind: "random", ratios: [0.8, 0.1, 0.1], seed, shuffle: "reclab" }, numItems);
  const table = selectRows(dataset.table, split.train);
  const train = tableToCsr(table, numUsers, numItems, true);
  const sequences = buildUserSequences(table, numUsers);
  const histories: Csr = { numRows: numUsers, numCols: numItems, indptr: sequences.indptr, indices: sequences.items, values: new Float32Array(sequences.items.length).fill(1) };
  return {
    label: `ml-100k simulator (${env.groundTruthFamily} ground truth on ${dataset.table.users.length} interactions; ${numUsers} users, ${numItems} items; bandits trained on ${split.train.length} rows)`,
    env,
    abEnv: env,
    histories,
    growHistory: true,
    makePolicy: (kind) => createBanditPolicy(kind, {}, { numItems, numUsers, train, seed }),
  };
}

function syntheticSetting(seed: number): Setting {
  const world = syntheticWorld({ seed });
  return {
    label: `synthetic linear environment (${world.env.numUsers} users, ${world.env.numItems} items, d = ${world.features.dim}, true item features)`,
    env: world.env,
    histories: world.histories,
    growHistory: false,
    makePolicy: (kind) => banditOnFeatures(kind, {}, world.features, seed),
  };
}

/** Each policy as the only arm of a simulated A/B test: CTR, clicks per visit and mean dwell from the engine's totals. */
async function engineTable(setting: Setting, policies: string[], options: AbSimulationOptions) {
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown> = {};
  for (const name of policies) {
    const t0 = performance.now();
    const policy = name === "random" ? new RandomPolicy(setting.env.numItems, options.seed) : await setting.makePolicy(name as BanditKind);
    const result = await simulateAbTest(setting.abEnv!, [{ armId: name, label: name, policy }], options);
    (policy as { dispose?: () => void }).dispose?.();
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    const t = result.totals[0];
    const clicks = sum(t.clicks), impressions = sum(t.impressions), visits = sum(t.visits);
    const row = { ctr: clicks / impressions, clicksPerVisit: clicks / visits, dwellPerClick: sum(t.dwellSeconds) / clicks, coverage: t.distinctItemsShown / t.catalogueSize, seconds: (performance.now() - t0) / 1000 };
    results[name] = row;
    rows.push([name, fixed(row.ctr, 4), fixed(row.clicksPerVisit, 3), fixed(row.dwellPerClick, 1), fixed(row.coverage, 3), fixed(row.seconds, 1)]);
  }
  console.log(`\nsingle-arm A/B runs (${options.users} users × ${options.sessionsPerUser} sessions)\n${formatTable(["policy", "CTR", "clicks/visit", "dwell s/click", "coverage", "seconds"], rows)}`);
  return results;
}

function pointAt(curve: OnlineCurve, t: number) {
  return { clicks: curve.clicks[t], dwellSeconds: curve.dwellSeconds[t], expected: curve.expected[t], oracle: curve.oracle[t], regret: curve.regret[t] };
}

function checkpointTable(curve: OnlineCurve, checkpoints: number[]): string {
  let previous = 0;
  const rows = checkpoints.map((t) => {
    const p = pointAt(curve, t - 1);
    const window = t - previous;
    const slope = (curve.regret[t - 1] - (previous > 0 ? curve.regret[previous - 1] : 0)) / window;
    previous = t;
    return [t, p.clicks, fixed(p.dwellSeconds / 60, 0), fixed(p.expected, 1), fixed(p.oracle, 1), fixed(p.regret, 1), fixed(slope, 4)];
  });
  return formatTable(["visits", "clicks", "dwell min", "expected", "oracle", "regret", "regret/visit"], rows);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
