import { spawn, type ChildProcess } from "node:child_process";

/** Starts a real worker process (`tsx workers/main.ts`) on the given database. */
export function startWorkerProcess(databaseUrl: string, env: Record<string, string> = {}): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    // LOG_LEVEL info: the test config silences logs in-process, but tests read a worker's lines.
    env: { ...process.env, DATABASE_URL: databaseUrl, RECLAB_POLL_MS: "100", RECLAB_MIGRATE_ON_START: "false", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  return Object.assign(child, { output: () => output });
}

/** One structured (pino) log line of a worker: msg plus the fields it carries (jobId, job, runId ...). */
export type LogLine = { msg?: string; jobId?: string; job?: string; [field: string]: unknown };

/** The JSON lines of a worker's output (anything else it printed is skipped). */
export function logLines(output: string): LogLine[] {
  return output.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/** How many of a worker's log lines say `msg` about job `jobId`. */
export function countJobLines(output: string, msg: string, jobId: string): number {
  return logLines(output).filter((l) => l.msg === msg && l.jobId === jobId).length;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}
