import "server-only";
import { getDb } from "../db/client";
import { DbJobQueue } from "../queue/db-queue";
import type { JobQueue } from "../queue/types";
import { PrismaTrackingStore } from "../tracking/prisma-store";
import type { TrackingStore } from "../tracking/types";

/** The process-wide queue and tracking store on the application database. */
export function getQueue(): JobQueue {
  return new DbJobQueue(getDb());
}

export function getTracking(): TrackingStore {
  return new PrismaTrackingStore(getDb());
}
