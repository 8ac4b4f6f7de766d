import "server-only";
import { getDb } from "../db/client";
import { createJobQueue } from "../queue/create-queue";
import { readQueueEnv } from "../env";
import type { JobQueue } from "../queue/types";
import { PrismaTrackingStore } from "../tracking/prisma-store";
import type { TrackingStore } from "../tracking/types";

const globalForQueue = globalThis as unknown as { reclabQueue?: JobQueue };

/**
 * The process-wide queue (BullMQ when REDIS_URL is set, else the database queue; kept on
 * globalThis so its Redis connections survive Next.js dev reloads) and tracking store.
 */
export function getQueue(): JobQueue {
  globalForQueue.reclabQueue ??= createJobQueue(getDb(), readQueueEnv());
  return globalForQueue.reclabQueue;
}

export function getTracking(): TrackingStore {
  return new PrismaTrackingStore(getDb());
}
