// Import process: runs one upload's import (parse, preprocess, statistics, save) off the web
// server's event loop. Loaded by workers/import-process.ts, which lowers the CPU priority first.
// lib/server/run-import-process.ts sends the job over IPC, gets back the result or an AppError,
// and kills this process when the request is aborted. DATABASE_URL is the web server's database.
import { getDb } from "../lib/db/client";
import { AppError } from "../lib/errors";
import { logger } from "../lib/ops/logger";
import { importUploadedDataset, type ImportJob, type ImportProcessReply } from "../lib/storage/import-uploaded-dataset";

function reply(message: ImportProcessReply): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()));
}

/** Imports the job's upload, answers the parent over IPC and closes the channel. */
export async function runImport(job: ImportJob): Promise<void> {
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
}
