// Entry of an upload's import process (started by lib/server/run-import-process.ts; the work is
// in run-import.ts). Parsing a large file takes a core for minutes, and loading the parsers takes
// a fraction of a second more: the priority is lowered before either, so the web server that
// started this process keeps answering.
import { readWorkerEnv } from "../lib/env";
import { logger } from "../lib/ops/logger";
import { becomeBackgroundWork } from "../lib/ops/priority";
import type { ImportJob } from "../lib/storage/import-uploaded-dataset";

const env = readWorkerEnv();
becomeBackgroundWork({ nice: env.RECLAB_WORKER_NICE, idle: env.RECLAB_WORKER_SCHED === "idle" }, logger.child({ component: "import" }));
// Listen before loading: the parent sends the job as soon as this process exists.
process.once("message", async (job: ImportJob) => {
  const { runImport } = await import("./run-import");
  await runImport(job);
});
