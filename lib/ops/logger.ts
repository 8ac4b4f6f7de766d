import pino, { type Logger } from "pino";

export type { Logger } from "pino";

/**
 * The process-wide structured logger: one JSON object per line on stdout (pino), so a log
 * shipper can index fields rather than parse sentences. Components log through a child
 * (`logger.child({ component: "worker", workerId })`); a job's lines also carry jobId, job name
 * and, for trials, runId (see workers/worker.ts). LOG_LEVEL picks the threshold (default info;
 * the test config sets silent).
 */
export const logger: Logger = createLogger();

/** A logger in RecLab's format (level names, ISO times); tests pass a destination to read the lines. */
export function createLogger(destination?: pino.DestinationStream, level = process.env.LOG_LEVEL ?? "info"): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The ids a job's log lines carry: its own, and the run or experiment its payload names. */
export function jobLogFields(job: { id: string; name: string; payload: unknown }): Record<string, string> {
  const fields: Record<string, string> = { jobId: job.id, job: job.name };
  const payload = job.payload;
  if (payload && typeof payload === "object") {
    for (const key of ["runId", "experimentId", "datasetId", "abTestId"] as const) {
      const value = (payload as Record<string, unknown>)[key];
      if (typeof value === "string") fields[key] = value;
    }
  }
  return fields;
}
