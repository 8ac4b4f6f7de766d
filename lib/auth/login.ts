import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { recordAudit } from "./audit";
import { ACCOUNT_THROTTLE, ADDRESS_THROTTLE, accountKey, addressKey, pruneThrottles, refundAttempt, reserveAttempt, resetThrottle } from "./login-throttle";
import { hashPassword, verifyPassword } from "./passwords";
import { createSession, type NewSession } from "./sessions";

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(256),
});

// Compared against when the account does not exist, so timing does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;

const PRUNE_CHANCE = 0.02;
const TOO_MANY_FROM_ADDRESS = "too many failed sign-ins from this address";
const TOO_MANY_FOR_ACCOUNT = "too many failed sign-ins for this account";

export interface LoginResult extends NewSession {
  userId: string;
  /** Failed attempts on the account since its previous sign-in, in words; null when none. */
  notice: string | null;
}

/**
 * Checks a password and starts a session. Each attempt is first reserved against the client
 * address and the account (lib/auth/login-throttle.ts), so parallel guesses cannot outrun the
 * limit; the answer never says whether the email exists.
 */
export async function login(db: Db, input: z.infer<typeof loginSchema>, ip: string): Promise<LoginResult> {
  // Every typed email leaves a row; forgotten ones are swept now and then.
  if (Math.random() < PRUNE_CHANCE) await pruneThrottles(db);
  try {
    await reserveAttempt(db, addressKey(ip), ADDRESS_THROTTLE, TOO_MANY_FROM_ADDRESS);
    await reserveAttempt(db, accountKey(input.email), ACCOUNT_THROTTLE, TOO_MANY_FOR_ACCOUNT);
  } catch (error) {
    if (error instanceof AppError) {
      const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
      await recordAudit(db, { actor: { email: input.email, userId: user?.id ?? null }, action: "login-failed", detail: "throttled", ip });
    }
    throw error;
  }
  const user = await db.user.findUnique({ where: { email: input.email } });
  dummyHash ??= hashPassword("not-a-real-password");
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
  if (!user || !user.passwordHash || !ok || user.disabled) {
    await recordAudit(db, { actor: { email: input.email, userId: user?.id ?? null }, action: "login-failed", ip });
    throw new AppError("UNAUTHORIZED", "wrong email or password");
  }
  await resetThrottle(db, accountKey(input.email));
  await refundAttempt(db, addressKey(ip), ADDRESS_THROTTLE);
  const notice = await failedSinceLastLogin(db, user.id);
  const session = await createSession(db, user.id);
  await recordAudit(db, { actor: { email: user.email, userId: user.id }, action: "login", ip });
  return { ...session, userId: user.id, notice };
}

/** "N failed sign-in attempts since your last sign-in; last from <address> at <time>", or null. */
async function failedSinceLastLogin(db: Db, userId: string): Promise<string | null> {
  const last = await db.auditEvent.findFirst({ where: { actorId: userId, action: "login" }, orderBy: { at: "desc" }, select: { at: true } });
  const where = { actorId: userId, action: "login-failed", ...(last ? { at: { gt: last.at } } : {}) };
  const [count, latest] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findFirst({ where, orderBy: { at: "desc" }, select: { at: true, ip: true } }),
  ]);
  if (count === 0 || !latest) return null;
  const attempts = count === 1 ? "1 failed sign-in attempt" : `${count} failed sign-in attempts`;
  return `${attempts} since your last sign-in; last from ${latest.ip ?? "an unknown address"} at ${latest.at.toISOString().replace("T", " ").slice(0, 19)} UTC`;
}
