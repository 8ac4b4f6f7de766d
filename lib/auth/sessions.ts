import type { Db } from "../db/client";
import type { Role } from "./policy";
import type { Principal } from "./principal";
import { hashSecret, randomSecret } from "./secrets";

export const SESSION_COOKIE = "reclab_session";
export const CSRF_COOKIE = "reclab_csrf";
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Starts a session; only the token's hash is stored. */
export async function createSession(db: Db, userId: string): Promise<NewSession> {
  const token = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.session.create({ data: { userId, tokenHash: hashSecret(token), csrfToken, expiresAt } });
  return { token, csrfToken, expiresAt };
}

/** The principal behind a session cookie, or null when unknown, expired or the user is disabled. */
export async function authenticateSession(db: Db, token: string): Promise<Principal | null> {
  const session = await db.session.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: true } });
  if (!session) return null;
  if (session.expiresAt.getTime() <= Date.now() || session.user.disabled) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  // Touch at most once a minute so reads stay cheap.
  if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
  }
  return {
    userId: session.user.id,
    email: session.user.email,
    role: session.user.role as Role,
    teamId: session.user.teamId,
    via: "session",
    csrfToken: session.csrfToken,
    sessionId: session.id,
  };
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/** Logs a user out everywhere (all sessions). */
export async function endAllSessions(db: Db, userId: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId } });
  return count;
}
