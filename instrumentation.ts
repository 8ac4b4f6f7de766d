/**
 * Runs once when the web server starts (Next.js instrumentation hook). Removes upload spool
 * directories a previous server left behind when it was killed mid-import: only RecLab's own
 * `reclab-upload-*` directories, and only those older than this process.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ default: os }, { readServerEnv }, { removeStaleUploads }] = await Promise.all([
    import("node:os"),
    import("./lib/env"),
    import("./lib/server/remove-stale-uploads"),
  ]);
  const startedAt = Date.now() - process.uptime() * 1000;
  const dir = readServerEnv().RECLAB_UPLOAD_DIR ?? os.tmpdir();
  const removed = await removeStaleUploads(dir, startedAt);
  if (removed.length > 0) console.log(`[start] removed ${removed.length} stale upload spool folder(s) from ${dir}`);
}
