import { abLogLines, deleteAbLogParts } from "../../lib/ab-tests/log-parts";
import { finishAbTest, markAbTestRunning, settleAbTest } from "../../lib/ab-tests/repository";
import type { ImportedAbConfig } from "../../lib/ab-tests/spec";
import { getDb, type Db } from "../../lib/db/client";
import { AppError } from "../../lib/errors";
import { importAbLogJob } from "../../lib/queue/jobs";
import { AbLogError, readAbLog } from "../../lib/simulation/ab-log";
import { analyzeAbTest } from "../../lib/stats/ab-tests";
import { formatCount } from "../../lib/util/format";
import { JobCancelledError, type JobContext, type JobHandler } from "../worker";

/**
 * Reads an uploaded A/B log line by line from the database (one stored part at a time), reduces it
 * to per-user totals per arm, analyses it and stores the results in one update. A bad row fails the
 * job at once with its line and field, and no result is stored. Progress is the share of the
 * file's bytes read.
 */
export async function executeImportAbLog(payload: unknown, ctx: JobContext, db: Db) {
  const { abTestId } = importAbLogJob.schema.parse(payload);
  const row = await db.abTest.findUnique({ where: { id: abTestId } });
  if (!row) throw new AppError("NOT_FOUND", `A/B test ${abTestId} does not exist`);
  const config = JSON.parse(row.config) as ImportedAbConfig;
  const started = performance.now();
  // A retry after the results were stored (the worker died before the job was marked done) finds
  // the log already removed: the stored results stand.
  if (row.status === "SUCCEEDED") return { abTestId, rows: 0, arms: 0, seconds: 0, alreadyFinished: true };
  await markAbTestRunning(db, abTestId);
  await ctx.reportProgress(0, "reading the log");
  let bytesRead = 0;
  const lines = abLogLines(db, abTestId, (bytes) => (bytesRead = bytes));
  const abort = new AbortController();
  let read: Awaited<ReturnType<typeof readAbLog>>;
  try {
    read = await readAbLog(lines, {
      signal: abort.signal,
      onProgress: (rows) => {
        if (ctx.isCancelled()) abort.abort();
        void ctx.reportProgress(0.9 * (config.bytes > 0 ? Math.min(1, bytesRead / config.bytes) : 1), `${formatCount(rows)} rows read`);
      },
    });
  } catch (error) {
    if (ctx.isCancelled()) throw new JobCancelledError();
    if (error instanceof AbLogError) throw new AppError("BAD_INPUT", `line ${error.line}, field ${error.field}: ${error.message}`, { line: error.line, field: error.field });
    throw error;
  } finally {
    await lines.return(undefined);
  }
  if (ctx.isCancelled()) throw new JobCancelledError();
  await ctx.reportProgress(0.9, `analysing ${formatCount(read.rows)} rows`);
  if (config.ratio && config.ratio.length !== read.arms.length) {
    throw new AppError("BAD_INPUT", `the ratio gives ${config.ratio.length} weights but the log has ${read.arms.length} arms (${read.arms.map((a) => a.armId).join(", ")})`);
  }
  if (read.arms.length < 2) throw new AppError("BAD_INPUT", `the log has ${read.arms.length} arm; an A/B test needs 2 to 4`);
  const ratio = config.ratio ?? read.arms.map(() => 1);
  const total = ratio.reduce((a, b) => a + b, 0);
  const analysis = analyzeAbTest(read.arms, { expectedShares: ratio.map((w) => w / total), sequential: true });
  await finishAbTest(db, abTestId, { totals: read.arms, analysis });
  await deleteAbLogParts(db, abTestId);
  return { abTestId, rows: read.rows, arms: read.arms.length, seconds: (performance.now() - started) / 1000 };
}

/** The stored log is removed once the job has ended for good (a retried job still needs it). */
async function settle(payload: unknown, status: "FAILED" | "CANCELLED", message: string | null) {
  const parsed = importAbLogJob.schema.safeParse(payload);
  if (!parsed.success) return;
  await settleAbTest(getDb(), parsed.data.abTestId, status, message);
  await deleteAbLogParts(getDb(), parsed.data.abTestId);
}

export const importAbLogHandler: JobHandler = {
  handle: (payload, ctx) => executeImportAbLog(payload, ctx, getDb()),
  onFailed: (payload, message) => settle(payload, "FAILED", message),
  onCancelled: (payload) => settle(payload, "CANCELLED", null),
};
