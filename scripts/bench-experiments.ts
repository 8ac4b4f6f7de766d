// Scheduler benchmark: a random search fanned out to worker processes on a fresh SQLite file.
// Measures per-trial scheduler overhead (queue claim -> first epoch logged, minus the model's own
// fit + validation time) and how busy each worker was.
//   npm run bench:experiments -- [--trials 100] [--workers 2] [--model item-knn] [--users 943]
//       [--items 1682] [--per-user 106] [--out bench-results/experiments.json]
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { z } from "zod";
import { createDb } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { launchExperiment } from "../lib/experiments/launch-experiment";
import type { searchSpaceSchema } from "../lib/experiments/search-space";
import { DbJobQueue } from "../lib/queue/db-queue";
import type { RunMetrics } from "../lib/tracking/types";
import { createSyntheticDataset } from "../lib/storage/create-synthetic-dataset";
import { fixed, formatTable } from "./bench/table";

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "100" },
    workers: { type: "string", default: "2" },
    model: { type: "string", default: "item-knn" },
    users: { type: "string", default: "943" },
    items: { type: "string", default: "1682" },
    "per-user": { type: "string", default: "106" },
    out: { type: "string" },
  },
});
const trials = Number(values.trials);
type SearchSpaceInput = z.input<typeof searchSpaceSchema>;
const workerCount = Number(values.workers);

// Search spaces of quick closed-form models (Popularity has no hyperparameters to search).
const SPACES: Record<string, SearchSpaceInput> = {
  "item-knn": { neighbours: { type: "uniform", min: 10, max: 400, integer: true }, shrinkage: { type: "log-uniform", min: 0.1, max: 100 } },
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-bench-exp-"));
const url = `file:${path.join(dir, "bench.db")}`;
await applyMigrations(url);
const { db } = createDb(url);
const { id: datasetId } = await createSyntheticDataset(db, {
  name: "bench",
  options: { numUsers: Number(values.users), numItems: Number(values.items), interactionsPerUser: Number(values["per-user"]), seed: 1 },
});
const dataset = await db.dataset.findUniqueOrThrow({ where: { id: datasetId } });
const space = SPACES[values.model!];
if (!space) throw new Error(`no benchmark search space for ${values.model}; pick ${Object.keys(SPACES).join(" or ")}`);
const { id: experimentId } = await launchExperiment(db, new DbJobQueue(db), {
  datasetId,
  base: { modelId: values.model!, ks: [10] },
  spec: { kind: "random", trials, seed: 1, space },
});

const started = Date.now();
const workers: ChildProcess[] = Array.from({ length: workerCount }, () =>
  spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    env: { ...process.env, DATABASE_URL: url, RECLAB_MIGRATE_ON_START: "false", RECLAB_POLL_MS: "100" },
    stdio: ["ignore", "ignore", "inherit"],
  }),
);
for (;;) {
  const e = await db.experiment.findUniqueOrThrow({ where: { id: experimentId } });
  if (e.status !== "QUEUED" && e.status !== "RUNNING") break;
  await new Promise((r) => setTimeout(r, 500));
}
const wall = (Date.now() - started) / 1000;
await Promise.all(workers.map((w) => new Promise((r) => (w.once("exit", r), w.kill("SIGTERM")))));

const runs = await db.run.findMany({ where: { experimentId, role: "trial" } });
const jobs = new Map((await db.job.findMany({ where: { id: { in: runs.map((r) => r.jobId!) } } })).map((j) => [j.id, j]));
const overheads: number[] = [];
const claimToFirst: number[] = [];
for (const run of runs) {
  const job = jobs.get(run.jobId!)!;
  const first = await db.metricPoint.findFirst({ where: { runId: run.id }, orderBy: { createdAt: "asc" } });
  if (!first || !job.startedAt || !run.metrics) continue;
  const toFirst = (first.createdAt.getTime() - job.startedAt.getTime()) / 1000;
  claimToFirst.push(toFirst);
  overheads.push(toFirst - (JSON.parse(run.metrics) as RunMetrics).fit.seconds);
}
const trialJobs = [...jobs.values()].filter((j) => j.startedAt && j.finishedAt);
const spanStart = Math.min(...trialJobs.map((j) => j.startedAt!.getTime()));
const spanEnd = Math.max(...trialJobs.map((j) => j.finishedAt!.getTime()));
const byWorker = new Map<string, { jobs: number; busy: number }>();
for (const j of trialJobs) {
  const w = byWorker.get(j.lockedBy ?? "?") ?? { jobs: 0, busy: 0 };
  w.jobs++;
  w.busy += (j.finishedAt!.getTime() - j.startedAt!.getTime()) / 1000;
  byWorker.set(j.lockedBy ?? "?", w);
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const span = (spanEnd - spanStart) / 1000;
const report = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
  model: values.model,
  dataset: { users: dataset.numUsers, items: dataset.numItems, interactions: dataset.numInteractions },
  trials: runs.length,
  succeeded: runs.filter((r) => r.status === "SUCCEEDED").length,
  workers: workerCount,
  wallSeconds: wall,
  trialSpanSeconds: span,
  overheadSeconds: { median: quantile(overheads, 0.5), p95: quantile(overheads, 0.95), max: Math.max(...overheads) },
  claimToFirstEpochSeconds: { median: quantile(claimToFirst, 0.5), p95: quantile(claimToFirst, 0.95), max: Math.max(...claimToFirst) },
  utilisation: Object.fromEntries([...byWorker].map(([w, s]) => [w, { jobs: s.jobs, busySeconds: s.busy, utilisation: s.busy / span }])),
};
console.log(`${report.trials} ${values.model} trials (${report.succeeded} succeeded) on ${report.dataset.users}x${report.dataset.items}, ${report.dataset.interactions} interactions; ${workerCount} workers; wall ${fixed(wall, 1)} s\n`);
console.log(
  formatTable(
    ["per trial", "median s", "p95 s", "max s"],
    [
      ["claim -> first epoch logged", fixed(report.claimToFirstEpochSeconds.median, 3), fixed(report.claimToFirstEpochSeconds.p95, 3), fixed(report.claimToFirstEpochSeconds.max, 3)],
      ["scheduler overhead (minus fit + validation)", fixed(report.overheadSeconds.median, 3), fixed(report.overheadSeconds.p95, 3), fixed(report.overheadSeconds.max, 3)],
    ],
  ),
);
console.log("");
console.log(formatTable(["worker", "trials", "busy s", "utilisation"], [...byWorker].map(([w, s]) => [w, s.jobs, fixed(s.busy, 1), `${(100 * s.busy / span).toFixed(1)}%`])));
if (values.out) {
  fs.mkdirSync(path.dirname(values.out), { recursive: true });
  fs.writeFileSync(values.out, JSON.stringify(report, null, 2));
  console.log(`\nwrote ${values.out}`);
}
await db.$disconnect();
fs.rmSync(dir, { recursive: true, force: true });
