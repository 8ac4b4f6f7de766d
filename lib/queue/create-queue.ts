import type { Db } from "../db/client";
import { logger } from "../ops/logger";
import { BullJobQueue } from "./bull-queue";
import { DbJobQueue } from "./db-queue";
import type { JobQueue } from "./types";

export interface QueueSettings {
  REDIS_URL?: string;
  RECLAB_REDIS_PREFIX: string;
  RECLAB_LEASE_MS?: number;
}

/** BullMQ on Redis when REDIS_URL is set, otherwise the embedded database queue. */
export function createJobQueue(db: Db, settings: QueueSettings): JobQueue {
  if (!settings.REDIS_URL) return new DbJobQueue(db);
  const log = logger.child({ component: "queue", queue: "bullmq" });
  return new BullJobQueue(db, {
    redisUrl: settings.REDIS_URL,
    prefix: settings.RECLAB_REDIS_PREFIX,
    leaseMs: settings.RECLAB_LEASE_MS,
    log: (line) => log.warn(line.replace(/^\[queue\] /, "")),
  });
}
