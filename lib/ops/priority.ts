import os from "node:os";
import type { Logger } from "./logger";

/**
 * Lowers this process's CPU priority to `nice` (Unix nice; never raises it, 0 = leave it). Background
 * work (training in workers, an upload's import) saturates every core it gets, while the web server
 * on the same machine must keep answering within its latency budget. Call it first thing: on Linux
 * the value belongs to the calling thread, and threads started later (training threads) inherit it.
 */
export function lowerOwnPriority(nice: number, log: Logger): void {
  if (nice === 0) return;
  try {
    os.setPriority(Math.max(os.getPriority(), nice));
  } catch (error) {
    log.warn({ err: error, nice }, "could not lower the process's CPU priority");
  }
}
