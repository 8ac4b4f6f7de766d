// Import process: runs one upload's import (parse, preprocess, statistics, save) off the web
// server's event loop. Started per upload by lib/server/run-import-process.ts, which sends the
// job over IPC, gets back the result or an AppError, and kills this process when the request
// is aborted. DATABASE_URL is the web server's current database.
import { getDb } from "../lib/db/client";
import { AppError } from "../lib/errors";
import { readWorkerEnv } from "../lib/env";
import { logger } from "../lib/ops/logger";
import { lowerOwnPriority } from "../lib/ops/priority";
import { importUploadedDataset, type ImportJob, type ImportProcessReply } from "../lib/storage/import-uploaded-dataset";

// Parsing a large file takes a core for minutes; the web server that started this must not wait for it.
lowerOwnPriority(readWorkerEnv().RECLAB_WORKER_NICE, logger.child({ component: "import" }));

function reply(message: ImportProcessReply): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()));
}

process.once("message", async (job: ImportJob) => {
  try {
    await reply({ ok: true, result: await importUploadedDataset(getDb(), job) });
  } catch (error) {
    if (error instanceof AppError) {
      await reply({ ok: false, error: { code: error.code, message: error.message, details: error.details } });
    } else {
      logger.error({ component: "import", err: error }, "unexpected error");
      await reply({ ok: false, error: null });
    }
  } finally {
    await getDb().$disconnect();
    process.disconnect();
  }
});
