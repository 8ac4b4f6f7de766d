import "server-only";
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { AppError } from "../errors";
import type { ImportJob, ImportOutcome, ImportProcessReply } from "../storage/import-uploaded-dataset";

/**
 * Resolved from the working directory, not import.meta.url: under `next start` this module is
 * bundled into .next/, while the entry file stays in the project's workers/ folder.
 */
const ENTRY = ["workers", "import-process.ts"];

const running = new Set<ChildProcess>();

/** Process ids of the imports running now (for tests and diagnostics). */
export function activeImportPids(): number[] {
  return [...running].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/**
 * Runs one import in a child process so the web server's event loop stays free: the job goes
 * over IPC, the outcome or an AppError (code, message, details) comes back. The child is killed
 * when `signal` aborts (the client went away) or on any error; the import saves in one
 * transaction, so a killed child leaves no dataset behind. `databaseUrl` is the database the
 * child writes to: the URL of the caller's current client.
 */
export function runImportProcess(job: ImportJob, options: { databaseUrl: string; signal?: AbortSignal }): Promise<ImportOutcome> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(cancelled());
  const child = fork(path.join(process.cwd(), ...ENTRY), [], {
    cwd: process.cwd(),
    execArgv: ["--import", "tsx"],
    env: { ...process.env, DATABASE_URL: options.databaseUrl },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return new Promise<ImportOutcome>((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, outcome?: ImportOutcome) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (error !== undefined) {
        child.kill("SIGKILL");
        reject(error);
      } else {
        resolve(outcome!);
      }
    };
    const onAbort = () => settle(cancelled());
    signal?.addEventListener("abort", onAbort, { once: true });
    child.once("message", (reply: ImportProcessReply) => {
      if (reply.ok) settle(undefined, reply.result);
      else if (reply.error) settle(new AppError(reply.error.code, reply.error.message, reply.error.details));
      else settle(new Error("the import process failed unexpectedly (see its log)"));
    });
    child.once("error", (error) => settle(error));
    child.once("exit", (code, signalName) => settle(new Error(`the import process exited (code ${code}, signal ${signalName}) without an answer`)));
    child.send(job, (error) => {
      if (error) settle(error);
    });
  });
}

function cancelled(): AppError {
  return new AppError("BAD_INPUT", "the import was cancelled: the request was aborted");
}
