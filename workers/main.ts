// RecLab worker: claims jobs from the database queue and runs them until SIGINT/SIGTERM.
// Start more of them (`npm run worker`) on this or other machines sharing DATABASE_URL.
import os from "node:os";
import { getDb } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { DbJobQueue } from "../lib/queue/db-queue";
import { readWorkerEnv } from "../lib/env";
import { jobHandlers } from "./handlers";
import { Worker } from "./worker";

const env = readWorkerEnv();
if (env.RECLAB_MIGRATE_ON_START) await applyMigrations();
const workerId = `${os.hostname()}:${process.pid}`;
const worker = new Worker({
  workerId,
  queue: new DbJobQueue(getDb()),
  handlers: jobHandlers,
  leaseMs: env.RECLAB_LEASE_MS,
  pollMs: env.RECLAB_POLL_MS,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.log(`[worker ${workerId}] ${signal}: finishing the current job, then stopping`);
    worker.stop();
  });
}
console.log(`[worker ${workerId}] ready`);
await worker.run();
await getDb().$disconnect();
process.exit(0);
