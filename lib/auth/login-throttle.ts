import type { Db } from "../db/client";
import { AppError } from "../errors";

/**
 * Sign-in throttling kept in the database (LoginThrottle), so it holds across concurrent
 * requests and server processes. Every attempt is reserved before its password is checked:
 * a compare-and-set on the row's `version` counts it as a failure while the key is under its
 * limit, so N parallel wrong passwords check at most `free` of them. Past the limit each further
 * attempt waits an exponentially growing back-off instead of a fixed lock anyone could trigger.
 */
export interface ThrottlePolicy {
  /** Failures allowed before the back-off starts. */
  free: number;
  /** Wait after the first failure past `free`; doubles with each further failure. */
  baseMs: number;
  capMs: number;
  /** A key quiet this long starts afresh. */
  forgetAfterMs: number;
}

/** Per account (keyed by the email typed, so unknown emails behave the same): reset by a success. */
export const ACCOUNT_THROTTLE: ThrottlePolicy = { free: 5, baseMs: 1000, capMs: 15 * 60_000, forgetAfterMs: 24 * 3600_000 };
/** Per client address: successes give their attempt back, failures add up. */
export const ADDRESS_THROTTLE: ThrottlePolicy = { free: 20, baseMs: 1000, capMs: 15 * 60_000, forgetAfterMs: 15 * 60_000 };

/** Compare-and-set rounds before giving up under extreme contention (fails closed). */
const MAX_ROUNDS = 100;

export const accountKey = (email: string) => `account:${email}`;
export const addressKey = (ip: string) => `address:${ip}`;

/** How long to wait after `failures` failures (0 while within the free attempts). */
export function backoffMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures - policy.free, 30));
}

export function formatWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}

/**
 * Reserves one attempt on `key`, counting it as a failure until `recordSuccess` says otherwise.
 * Throws TOO_MANY_REQUESTS (with the wait) while the key is backing off.
 */
export async function reserveAttempt(db: Db, key: string, policy: ThrottlePolicy, refusal: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = new Date();
    const row = await db.loginThrottle.findUnique({ where: { key } });
    if (!row) {
      try {
        await db.loginThrottle.create({ data: { key, failures: 1, lastAttemptAt: now, blockedUntil: blockedUntil(1, policy, now) } });
        return;
      } catch (error) {
        if (isUniqueViolation(error)) continue;
        throw error;
      }
    }
    const stale = now.getTime() - row.lastAttemptAt.getTime() > policy.forgetAfterMs;
    const failures = stale ? 0 : row.failures;
    if (!stale && row.blockedUntil && row.blockedUntil > now) {
      const wait = row.blockedUntil.getTime() - now.getTime();
      throw new AppError("TOO_MANY_REQUESTS", `${refusal}; try again in ${formatWait(wait)}`, { retryAfterSeconds: Math.ceil(wait / 1000) });
    }
    const next = failures + 1;
    const { count } = await db.loginThrottle.updateMany({
      where: { key, version: row.version },
      data: { failures: next, lastAttemptAt: now, blockedUntil: blockedUntil(next, policy, now), version: row.version + 1 },
    });
    if (count === 1) return;
  }
  throw new AppError("TOO_MANY_REQUESTS", `${refusal}; try again in a moment`);
}

function blockedUntil(failures: number, policy: ThrottlePolicy, now: Date): Date | null {
  const wait = backoffMs(failures, policy);
  return wait > 0 ? new Date(now.getTime() + wait) : null;
}

/** A success: forget the account's failures. */
export async function resetThrottle(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}

/**
 * A success on an address: give back the attempt it reserved. The back-off is recomputed from
 * the remaining failures, so a client cannot erase failures on other accounts by signing in.
 */
export async function refundAttempt(db: Db, key: string, policy: ThrottlePolicy): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const row = await db.loginThrottle.findUnique({ where: { key } });
    if (!row || row.failures === 0) return;
    const failures = row.failures - 1;
    const wait = backoffMs(failures, policy);
    const until = wait > 0 ? new Date(row.lastAttemptAt.getTime() + wait) : null;
    const where = { key, version: row.version };
    const { count } =
      failures === 0
        ? await db.loginThrottle.deleteMany({ where })
        : await db.loginThrottle.updateMany({ where, data: { failures, blockedUntil: until, version: row.version + 1 } });
    if (count === 1) return;
  }
}

/** Deletes rows no policy remembers any more; sign-in calls it now and then. */
export async function pruneThrottles(db: Db): Promise<void> {
  const longest = Math.max(ACCOUNT_THROTTLE.forgetAfterMs, ADDRESS_THROTTLE.forgetAfterMs, ACCOUNT_THROTTLE.capMs, ADDRESS_THROTTLE.capMs);
  await db.loginThrottle.deleteMany({ where: { lastAttemptAt: { lt: new Date(Date.now() - longest) } } });
}

/** When a key is backing off, until when; null when it is not. */
export async function blockedKeys(db: Db, keys: string[]): Promise<Map<string, Date>> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keys }, blockedUntil: { gt: new Date() } } });
  return new Map(rows.map((r) => [r.key, r.blockedUntil!]));
}
