import { Redis } from "ioredis";
import { resolveDatabase } from "../db/database-url";
import type { Db } from "../db/client";
import { migrationsDir, readMigrations } from "../db/migrate";

export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ok: boolean;
  checks: Record<string, ReadinessCheck>;
}

export interface ReadinessOptions {
  databaseUrl?: string;
  /** When set, Redis must answer PING too (the BullMQ queue lives there). */
  redisUrl?: string;
  root?: string;
  /** Budget of each check; the database and Redis are checked side by side, migrations after the database. */
  timeoutMs?: number;
}

/** 2 s per check keeps the whole answer under 5 s even when a dependency swallows packets. */
export const CHECK_TIMEOUT_MS = 2000;

/**
 * Whether this process can serve traffic: the database answers, every migration of this
 * version is applied (a web process started before `npm run db:migrate` is not ready), and —
 * when REDIS_URL configures the Redis queue — Redis answers. Every check has a deadline, so a
 * dependency that hangs (a firewall dropping packets, a stuck server) reads as down within
 * seconds instead of holding the probe open. Liveness is /api/health; this is /api/ready.
 */
export async function checkReadiness(db: Db, options: ReadinessOptions = {}): Promise<Readiness> {
  const { databaseUrl = process.env.DATABASE_URL, redisUrl = process.env.REDIS_URL || undefined, root = process.cwd(), timeoutMs = CHECK_TIMEOUT_MS } = options;
  const provider = resolveDatabase(databaseUrl).provider;
  const [database, redis] = await Promise.all([
    timed(() => db.$queryRawUnsafe("SELECT 1"), timeoutMs, (ms) => `${provider} answered in ${ms} ms`, "the database"),
    redisUrl ? timed(() => pingRedis(redisUrl, timeoutMs), timeoutMs, (ms) => `redis answered PING in ${ms} ms`, "redis") : null,
  ]);
  const checks: Record<string, ReadinessCheck> = { database };
  if (redis) checks.redis = redis;
  if (database.ok) checks.migrations = await migrationCheck(db, provider, root, timeoutMs);
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}

async function timed(run: () => Promise<unknown>, timeoutMs: number, okDetail: (ms: number) => string, what: string): Promise<ReadinessCheck> {
  const started = performance.now();
  try {
    await withTimeout(run(), timeoutMs, `${what} did not answer within ${timeoutMs} ms`);
    return { ok: true, detail: okDetail(Math.round(performance.now() - started)) };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, detail: message.startsWith(what) ? message : `${what} did not answer: ${message}` };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  promise.catch(() => undefined); // a late rejection after the deadline is not unhandled
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** One short-lived connection per probe: no retries, no offline queue, so a dead Redis fails fast. */
async function pingRedis(url: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let cause: Error | undefined;
  redis.on("error", (error: Error) => void (cause ??= error)); // ioredis then rejects with a bare "Connection is closed"
  try {
    await redis.connect().catch((error: unknown) => Promise.reject(cause ?? error));
    const answer = await redis.ping();
    if (answer !== "PONG") throw new Error(`unexpected PING answer ${JSON.stringify(answer)}`);
  } finally {
    redis.disconnect();
  }
}

const TIMED_OUT = "timed out";

async function migrationCheck(db: Db, provider: ReturnType<typeof resolveDatabase>["provider"], root: string, timeoutMs: number): Promise<ReadinessCheck> {
  const expected = readMigrations(migrationsDir(provider, root)).map((m) => m.name);
  let applied: Set<string>;
  try {
    const rows = await withTimeout(db.$queryRawUnsafe<{ name: string }[]>('SELECT name FROM "_reclab_migrations"'), timeoutMs, TIMED_OUT);
    applied = new Set(rows.map((r) => r.name));
  } catch (error) {
    if (error instanceof Error && error.message === TIMED_OUT) return { ok: false, detail: `the migrations table did not answer within ${timeoutMs} ms` };
    applied = new Set(); // no table yet: nothing applied
  }
  const pending = expected.filter((name) => !applied.has(name));
  return pending.length === 0
    ? { ok: true, detail: `${expected.length} migrations applied` }
    : { ok: false, detail: `${pending.length} migration(s) not applied: ${pending.join(", ")} (run npm run db:migrate)` };
}
