// RecLab worker (`npm run worker`): start more of them on this or other machines sharing
// DATABASE_URL (and REDIS_URL); the work itself is in run-worker.ts.
//
// The CPU priority is lowered before that module is loaded: loading (under tsx, transpiling)
// the worker's models and queue takes most of a second of CPU, and workers start together, so
// at normal priority a deploy or a restart would take several core-seconds from the requests
// the web server on the same machine is answering (bench:load: 1.2–1.7 s latency for 2 s).
import { readWorkerEnv } from "../lib/env";
import { logger } from "../lib/ops/logger";
import { becomeBackgroundWork } from "../lib/ops/priority";

const env = readWorkerEnv();
becomeBackgroundWork({ nice: env.RECLAB_WORKER_NICE, idle: env.RECLAB_WORKER_SCHED === "idle" }, logger.child({ component: "worker" }));
await import("./run-worker");
