/**
 * Runs once when the web server starts (Next.js instrumentation hook): removes upload spool
 * folders that a server killed mid-import left behind (lib/server/remove-stale-uploads.ts).
 * The inline NEXT_RUNTIME test lets the edge build drop the Node-only import.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { removeStaleUploadsAtStart } = await import("./lib/server/remove-stale-uploads");
    await removeStaleUploadsAtStart();
  }
}
