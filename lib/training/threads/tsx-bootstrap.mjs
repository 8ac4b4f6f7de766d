// The first module of every RecLab worker thread (training pools in ./pool.ts, full-ranking
// evaluation in lib/experiments/parallel-evaluate.ts): threads do not inherit the parent's
// TypeScript loader, so register tsx here, then load the TypeScript entry named in workerData.entry.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
