import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import type { Logger } from "./logger";

export interface BackgroundPriority {
  /** Unix nice value (never raised; 0 = leave it). */
  nice: number;
  /** Linux only: switch to SCHED_IDLE, so the process runs only on CPU time nothing else wants. */
  idle: boolean;
  /** Linux only: the CPUs it may run on (taskset list, e.g. "1-3"); unset = all. */
  cpus?: string;
}

/**
 * Makes this process background work. Training and imports saturate every core they get, while
 * a web server on the same machine must keep answering within its latency budget.
 *
 * A nice value alone is not enough there (bench:load, 4 workers at nice 10 beside the web server
 * on 2 cores: the runs list page's p95 545 ms; with SCHED_IDLE 122 ms): the web server's requests
 * are short bursts, and each burst still waits behind the niced workers' time slices. SCHED_IDLE
 * tasks are only picked when no normal task is runnable. `chrt` (util-linux) sets it; without it
 * (other systems) the nice value still applies.
 *
 * Even so, a request served on a core the workers keep busy finds its caches cold: on 2 cores,
 * giving the web server and the workers a core each (`cpus`; keepToCpus) is what brings the runs
 * list's p95 under 300 ms with 4 workers beside the web server (docs/benchmarks/load.md).
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
  if (priority.cpus) keepToCpus(priority.cpus, log);
}

/**
 * Linux: this process (every thread, and threads started later) runs only on `cpus` (a taskset
 * list such as "0" or "1-3"). The web server and the workers of one machine are given disjoint
 * lists (RECLAB_WEB_CPUS, RECLAB_WORKER_CPUS): the scheduler counts a core running only idle-policy
 * work as free and would otherwise wake requests there, onto the caches training has just filled.
 */
export function keepToCpus(cpus: string, log: Logger): void {
  if (process.platform !== "linux") return;
  applyToProcessTree(["taskset", "--all-tasks", "--cpu-list", cpus, "--pid"], `could not keep to CPUs ${cpus} (taskset)`, log);
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
