// RecLab worker: claims jobs from the queue (BullMQ when REDIS_URL is set, else the database
// queue) and runs them until SIGINT/SIGTERM. Loaded by workers/main.ts once the process's CPU
// priority is lowered.
//
// Shutdown: the first signal stops claiming; a training job checkpoints at its next epoch
// boundary and goes back to the queue (attempt not counted), any other job finishes. After
// RECLAB_SHUTDOWN_GRACE_MS, or on a second signal, the running job is released as it stands
// (it resumes from its last checkpoint) and the process exits.
import os from "node:os";
import { getDb } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { createJobQueue } from "../lib/queue/create-queue";
import { readWorkerEnv } from "../lib/env";
import { logger } from "../lib/ops/logger";
import { jobHandlers } from "./handlers";
import { Worker } from "./worker";

const env = readWorkerEnv();
const workerId = `${os.hostname()}:${process.pid}`;
const log = logger.child({ component: "worker", workerId });
if (env.RECLAB_MIGRATE_ON_START) await applyMigrations();
const queue = createJobQueue(getDb(), env);
const worker = new Worker({
  workerId,
  queue,
  handlers: jobHandlers,
  leaseMs: env.RECLAB_LEASE_MS,
  pollMs: env.RECLAB_POLL_MS,
});

async function exit(code: number): Promise<never> {
  await queue.close?.().catch(() => undefined);
  await getDb().$disconnect().catch(() => undefined);
  logger.flush();
  process.exit(code);
}

let signalled = false;
async function releaseAndExit(why: string): Promise<void> {
  const released = await worker.releaseRunning().catch(() => null);
  log.info({ releasedJobId: released }, why);
  await exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (signalled) return void releaseAndExit(`second ${signal}: running job released`);
    signalled = true;
    log.info({ signal }, "no new jobs; the running one checkpoints at its next epoch boundary or finishes");
    worker.stop();
    setTimeout(() => void releaseAndExit(`shutdown grace of ${env.RECLAB_SHUTDOWN_GRACE_MS} ms over: running job released`), env.RECLAB_SHUTDOWN_GRACE_MS).unref();
  });
}
log.info({ queue: env.REDIS_URL ? "bullmq" : "database", nice: os.getPriority() }, "ready");
await worker.run();
log.info("stopped");
await exit(0);
