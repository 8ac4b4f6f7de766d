import { computeStats } from "../datasets/stats";
import { importDataset, type ImportInput, type ImportReport } from "../datasets/import";
import type { Db } from "../db/client";
import type { AppErrorCode } from "../errors";
import { saveDataset } from "./dataset-repository";

/**
 * One upload's import after validation: what the web server hands to the import process
 * (workers/import-process.ts). Plain data, so it crosses the IPC channel as it is.
 */
export interface ImportJob {
  name: string;
  input: ImportInput;
  personalData: boolean;
  dropFreeText: boolean;
  /** Form field -> client file name and size, recorded with the preprocessing report. */
  files: Record<string, { name: string; bytes: number }>;
  teamId: string;
  createdById: string | null;
}

export interface ImportOutcome {
  id: string;
  report: ImportReport;
  interactions: number;
}

/** What the import process answers over IPC: the outcome, or an AppError (null: an unexpected error, logged there). */
export type ImportProcessReply =
  | { ok: true; result: ImportOutcome }
  | { ok: false; error: { code: AppErrorCode; message: string; details?: Record<string, unknown> } | null };

/**
 * The CPU-heavy part of an upload: parse, preprocess, statistics, save (one transaction, so a
 * failure or a killed process leaves no dataset behind).
 */
export async function importUploadedDataset(db: Db, job: ImportJob): Promise<ImportOutcome> {
  const { dataset, report } = await importDataset(job.input);
  if (job.dropFreeText && dataset.items) delete dataset.items.text;
  const { id } = await saveDataset(db, {
    name: job.name,
    source: job.input.format,
    dataset,
    stats: computeStats(dataset),
    preprocessing: {
      options: job.input.preprocess ?? {},
      pseudonymisedUsers: job.personalData,
      droppedFreeText: job.dropFreeText,
      files: job.files,
      report,
    },
    teamId: job.teamId,
    createdById: job.createdById,
    personalData: job.personalData,
  });
  return { id, report, interactions: dataset.table.users.length };
}
