import { readServerEnv } from "../env";

/**
 * A short-lived cache for the reads every open dashboard polls (the runs list, an experiment's
 * members): concurrent requests for the same key share one database read, and its result serves
 * the same key for `RECLAB_LIST_CACHE_MS` (default 1,000 ms, the dashboards' fastest polling
 * interval). Ten analysts watching one team's runs then cost the database and the query compiler
 * one read per second instead of ten, and the web server stays responsive while workers load the
 * machine (docs/benchmarks/load.md).
 *
 * Keys must name everything that decides the result, the reader's team and identity included:
 * callers build them with `sharedReadKey`. Writes made through this process's API clear the cache
 * (lib/server/http.ts), so a user's own change shows on their next read; workers' progress shows
 * within one interval. Results are shared between requests: callers must not mutate them.
 * 0 turns the cache off (the integration tests do, so that rows they write show at once).
 */

interface Entry {
  value: Promise<unknown>;
  /** When the read settled (ms since epoch); null while in flight. */
  settledAt: number | null;
}

/** Distinct keys kept at most; the oldest go first (a map keeps insertion order). */
const MAX_ENTRIES = 500;

// On globalThis: Next.js may instantiate this module once per bundle layer (pages, route
// handlers), and they must share one cache for a write to clear what pages read.
const globalCache = globalThis as unknown as { reclabSharedReads?: Map<string, Entry> };
const cache = (globalCache.reclabSharedReads ??= new Map<string, Entry>());

/** How long a settled result serves its key (ms); 0 = no caching. */
export function sharedReadTtlMs(env: Record<string, string | undefined> = process.env): number {
  return readServerEnv(env as NodeJS.ProcessEnv).RECLAB_LIST_CACHE_MS;
}

/** A cache key from the read's name and every value its result depends on. */
export function sharedReadKey(name: string, ...parts: unknown[]): string {
  return `${name}:${JSON.stringify(parts)}`;
}

/**
 * The result of `load()` for `key`: a read in flight is joined, a result younger than the TTL is
 * reused, otherwise `load` runs. A failed read is not kept.
 */
export function sharedRead<T>(key: string, load: () => Promise<T>, ttlMs = sharedReadTtlMs(), now = Date.now): Promise<T> {
  if (ttlMs <= 0) return load();
  const found = cache.get(key);
  if (found && (found.settledAt === null || now() - found.settledAt < ttlMs)) return found.value as Promise<T>;
  const entry: Entry = { value: Promise.resolve(), settledAt: null };
  entry.value = load().then(
    (value) => {
      entry.settledAt = now();
      return value;
    },
    (error: unknown) => {
      if (cache.get(key) === entry) cache.delete(key);
      throw error;
    },
  );
  cache.delete(key);
  cache.set(key, entry);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return entry.value as Promise<T>;
}

/** Forgets every cached read (after a write through the API). */
export function clearSharedReads(): void {
  cache.clear();
}
