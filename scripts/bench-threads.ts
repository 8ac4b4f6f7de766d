// Threads probe: npm run bench:threads -- bpr|sasrec EPOCHS [path/to/u.data], env T=threads (taken as given: no work threshold).
// Prints s/epoch, process CPU s/epoch, (BPR) M triples/s and the load average. ml-100k from ../shared/data by default.
import os from "node:os";
import { importDataset } from "../lib/datasets/import";
import { prepareSplit, splitForRun } from "../lib/experiments/prepare-data";
import { resolveRunConfig } from "../lib/experiments/run-config";
import { getModelDefinition } from "../lib/models/registry";
import { trainModel } from "../lib/training/train-model";
const which = process.argv[2] ?? "bpr";
const epochs = Number(process.argv[3] ?? 3);
const { dataset } = await importDataset({ format: "movielens-100k", files: { ratings: process.argv[4] ?? "../shared/data/ml-100k/u.data" } });
const config = resolveRunConfig({ modelId: which, params: {}, split: which === "sasrec" ? { kind: "leave-one-out" } : undefined, feedback: "implicit", seed: 42 } as never);
const { split } = splitForRun(dataset, config);
const data = prepareSplit(dataset, split, "implicit");
const def = getModelDefinition(which);
let t0 = performance.now(); let c0 = process.cpuUsage(); const cpus: number[] = [];
const times: number[] = [];
const threads = Number(process.env.T ?? 1);
await trainModel({ definition: def, params: { epochs }, data: data.train, seed: 42, threads, onEpoch: () => { const t = performance.now(); times.push((t - t0) / 1000); t0 = t; const c = process.cpuUsage(); cpus.push((c.user + c.system - c0.user - c0.system) / 1e6); c0 = c; } });
console.log(which, "threads", threads, "load", os.loadavg().map((l) => l.toFixed(1)).join(" "), "nnz", data.train.train.indices.length, "epoch s", times.map((t) => t.toFixed(2)).join(" "), "cpu s", cpus.map((t) => t.toFixed(2)).join(" "));
if (which === "bpr") console.log("M triples/s", times.map((t) => (data.train.train.indices.length / t / 1e6).toFixed(3)).join(" "));
