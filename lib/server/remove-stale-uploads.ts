import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readServerEnv } from "../env";
import { logger } from "../ops/logger";

// No "server-only" here: instrumentation.ts imports this at start-up, outside the React server layer.

/** Spool directories of uploads are named `reclab-upload-*` (lib/server/spool-multipart.ts). */
export const UPLOAD_DIR_PREFIX = "reclab-upload-";

/**
 * Removes spool directories (`reclab-upload-*`, nothing else) last changed before `before`
 * (ms since the epoch): uploads of a process that was killed mid-import. Returns their names.
 */
export async function removeStaleUploads(dir: string, before: number): Promise<string[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(UPLOAD_DIR_PREFIX)) continue;
    const full = path.join(dir, entry.name);
    try {
      if ((await fs.promises.stat(full)).mtimeMs >= before) continue;
      await fs.promises.rm(full, { recursive: true, force: true });
      removed.push(entry.name);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

/** The start-up sweep: stale spool folders in RECLAB_UPLOAD_DIR (or the OS temp dir) older than this process. */
export async function removeStaleUploadsAtStart(): Promise<void> {
  const dir = readServerEnv().RECLAB_UPLOAD_DIR ?? os.tmpdir();
  const removed = await removeStaleUploads(dir, Date.now() - process.uptime() * 1000);
  if (removed.length > 0) logger.info({ component: "web", dir, removed: removed.length }, "removed stale upload spool folders");
}
