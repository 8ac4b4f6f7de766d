import "server-only";
import { getDb, type Db } from "../db/client";
import { createJobQueue } from "../queue/create-queue";
import { readQueueEnv } from "../env";
import type { JobQueue } from "../queue/types";
import { PrismaTrackingStore } from "../tracking/prisma-store";
import type { TrackingStore } from "../tracking/types";

const globalForQueue = globalThis as unknown as { reclabQueue?: { db: Db; queue: JobQueue } };

/**
 * The process-wide queue on the application database: BullMQ when REDIS_URL is set, else the
 * database queue. Kept on globalThis so its Redis connections survive Next.js dev reloads, and
 * rebuilt if the process-wide client was replaced (tests point it at another database).
 */
export function getQueue(): JobQueue {
  const db = getDb();
  const cached = globalForQueue.reclabQueue;
  if (cached?.db === db) return cached.queue;
  void cached?.queue.close?.().catch(() => undefined);
  const queue = createJobQueue(db, readQueueEnv());
  globalForQueue.reclabQueue = { db, queue };
  return queue;
}

export function getTracking(): TrackingStore {
  return new PrismaTrackingStore(getDb());
}
