// λ sweeps as the worker runs them: the rerank-sweep job handler (executeRerankSweep) on a
// finished EASE run of MovieLens 100K, every re-ranker × 7 λ, with an in-memory tracking store
// (no database time). Prints a table of job wall times. Usage:
//   npm run bench:rerank-sweep -- [--dataset ../shared/data/ml-100k] [--out bench-results/rerank-sweep.json]
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { importDataset } from "../lib/datasets/import";
import { resolveRunConfig, runExperiment } from "../lib/experiments/run-experiment";
import { CANDIDATES_ARTIFACT, encodeCandidates } from "../lib/fairness/candidates";
import { listRerankers } from "../lib/fairness/registry";
import { DEFAULT_SWEEP_LAMBDAS } from "../lib/fairness/rerank-run";
import type { JobRecord } from "../lib/queue/types";
import { MemoryTrackingStore } from "../lib/tracking/memory-store";
import { executeRerankSweep } from "../workers/handlers/rerank-sweep";
import { fixed, formatTable } from "./bench/table";

async function main() {
  const { values } = parseArgs({ options: { dataset: { type: "string", default: "../shared/data/ml-100k" }, out: { type: "string" } } });
  const { dataset } = await importDataset({
    format: "movielens-100k",
    files: { ratings: path.join(values.dataset, "u.data"), items: path.join(values.dataset, "u.item") },
  });
  const config = resolveRunConfig({ modelId: "ease", params: { lambda: 500, lambdaSearch: "off" }, feedback: "implicit", seed: 42 });
  const t0 = performance.now();
  const result = await runExperiment(dataset, config);
  const runSeconds = (performance.now() - t0) / 1000;
  const tracking = new MemoryTrackingStore();
  const run = await tracking.createRun({ name: "EASE", datasetId: "ml-100k", modelId: "ease", config: result.config as unknown as Record<string, unknown> });
  const candidates = encodeCandidates(result.candidates!);
  await tracking.saveArtifact(run.id, CANDIDATES_ARTIFACT, candidates);
  await tracking.finishRun(run.id, { test: result.test.summary, validation: {}, fit: result.fit, evaluation: { seconds: result.test.seconds, users: result.test.numUsers } });
  console.log(`ml-100k: EASE λ=500 run ${runSeconds.toFixed(1)} s, ${result.test.numUsers} test users, candidates artefact ${(candidates.length / 1024).toFixed(0)} KiB`);

  const rows: string[][] = [];
  const report: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg()[0], sweeps: {} };
  for (const reranker of listRerankers()) {
    const job = { id: `bench-${reranker.id}`, attempts: 1 } as JobRecord;
    const ctx = { job, workerId: "bench", reportProgress: async () => undefined, isCancelled: () => false };
    const payload = { runId: run.id, rerankerId: reranker.id, lambdas: [...DEFAULT_SWEEP_LAMBDAS], k: 10, owner: { teamId: "default", createdById: null } };
    const started = performance.now();
    const out = await executeRerankSweep(payload, ctx, { tracking, loadDataset: async () => dataset });
    const wall = (performance.now() - started) / 1000;
    (report.sweeps as Record<string, number>)[reranker.id] = wall;
    rows.push([reranker.displayName, String(out.points), fixed(wall, 2)]);
  }
  console.log(formatTable(["re-ranker", "λ points", "job s (load split + re-rank + evaluate)"], rows));
  console.log(`load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  if (values.out) {
    mkdirSync(path.dirname(values.out), { recursive: true });
    writeFileSync(values.out, JSON.stringify(report, null, 2));
  }
}

void main();
