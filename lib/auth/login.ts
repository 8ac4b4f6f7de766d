import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { recordAudit } from "./audit";
import { hashPassword, verifyPassword } from "./passwords";
import { createSession, type NewSession } from "./sessions";

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(256),
});

/** After this many wrong passwords in a row an account is locked for LOCKOUT_MS. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
/** Per client address: at most this many attempts per window, whatever the account. */
const IP_WINDOW_MS = 60 * 1000;
const IP_MAX_ATTEMPTS = 20;

const attemptsByIp = new Map<string, number[]>();

function checkIpRate(ip: string, now: number): void {
  const recent = (attemptsByIp.get(ip) ?? []).filter((t) => now - t < IP_WINDOW_MS);
  if (recent.length >= IP_MAX_ATTEMPTS) {
    attemptsByIp.set(ip, recent);
    throw new AppError("TOO_MANY_REQUESTS", "too many sign-in attempts from this address; wait a minute and try again");
  }
  recent.push(now);
  attemptsByIp.set(ip, recent);
}

/** Test seam: forget per-address attempts. */
export function resetLoginRateLimit(): void {
  attemptsByIp.clear();
}

// Compared against when the account does not exist, so timing does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;

/**
 * Checks a password and starts a session. Wrong passwords count towards a lockout; the answer
 * never says whether the email exists.
 */
export async function login(db: Db, input: z.infer<typeof loginSchema>, ip: string): Promise<NewSession & { userId: string }> {
  const now = Date.now();
  checkIpRate(ip, now);
  const user = await db.user.findUnique({ where: { email: input.email } });
  if (user?.lockedUntil && user.lockedUntil.getTime() > now) {
    await recordAudit(db, { actor: { email: input.email, userId: user.id }, action: "login-failed", detail: "locked", ip });
    const minutes = Math.ceil((user.lockedUntil.getTime() - now) / 60_000);
    throw new AppError("TOO_MANY_REQUESTS", `this account is locked after too many failed sign-ins; try again in ${minutes} min`);
  }
  dummyHash ??= hashPassword("not-a-real-password");
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
  if (!user || !user.passwordHash || !ok || user.disabled) {
    if (user) {
      const failed = user.failedLogins + 1;
      await db.user.update({
        where: { id: user.id },
        data: { failedLogins: failed, lockedUntil: failed >= MAX_FAILED_LOGINS ? new Date(now + LOCKOUT_MS) : null },
      });
    }
    await recordAudit(db, { actor: { email: input.email, userId: user?.id ?? null }, action: "login-failed", ip });
    throw new AppError("UNAUTHORIZED", "wrong email or password");
  }
  await db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
  const session = await createSession(db, user.id);
  await recordAudit(db, { actor: { email: user.email, userId: user.id }, action: "login", ip });
  return { ...session, userId: user.id };
}
