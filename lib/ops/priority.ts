import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import type { Logger } from "./logger";

export interface BackgroundPriority {
  /** Unix nice value (never raised; 0 = leave it). */
  nice: number;
  /** Linux only: switch to SCHED_IDLE, so the process runs only on CPU time nothing else wants. */
  idle: boolean;
}

/**
 * Makes this process background work. Training and imports saturate every core they get, while
 * a web server on the same machine must keep answering within its latency budget.
 *
 * A nice value only weights the share: a niced worker still gets time slices while requests wait.
 * SCHED_IDLE tasks run only when no normal task is runnable, and a waking request preempts them
 * at once. `chrt` (util-linux) sets it; without it (other systems) the nice value still applies.
 * docs/benchmarks/load.md has what each measured under load.
 *
 * On Linux these settings belong to one thread, and the threads V8 starts with the process (garbage
 * collection helpers, the compiler) already exist, as may a child process (tsx's esbuild service):
 * each is switched. Threads and processes started later inherit the setting. Call it first thing.
 */
export function becomeBackgroundWork(priority: BackgroundPriority, log: Logger): void {
  if (priority.nice > 0) {
    for (const thread of ownThreads()) {
      try {
        os.setPriority(thread, Math.max(os.getPriority(thread), priority.nice));
      } catch (error) {
        // A thread may end between listing and lowering; anything else is worth a word.
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") log.warn({ err: error, thread }, "could not lower a thread's CPU priority");
      }
    }
  }
  if (process.platform !== "linux") return;
  if (priority.idle) applyToProcessTree(["chrt", "--idle", "--all-tasks", "--pid", "0"], "could not switch to the idle scheduling policy (chrt); the nice value still applies", log);
}

/** Runs `command … <pid>` (util-linux) for this process and its children; warns when it fails for this process. */
function applyToProcessTree([tool, ...args]: string[], failure: string, log: Logger): void {
  for (const pid of [process.pid, ...ownChildren()]) {
    const result = spawnSync(tool, [...args, String(pid)], { encoding: "utf8", timeout: 5000 });
    if (result.status !== 0 && pid === process.pid) return void log.warn({ reason: result.error?.message ?? result.stderr.trim() }, failure);
  }
}

/** This process's thread ids on Linux; elsewhere 0 (the calling process as a whole). */
function ownThreads(): number[] {
  try {
    return fs.readdirSync("/proc/self/task").map(Number);
  } catch {
    return [0];
  }
}

/** Child processes already running (Linux). */
function ownChildren(): number[] {
  try {
    return fs
      .readdirSync("/proc/self/task")
      .flatMap((tid) => fs.readFileSync(`/proc/self/task/${tid}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
