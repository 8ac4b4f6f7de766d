import "server-only";
import { authenticateApiToken } from "../auth/api-tokens";
import type { Principal } from "../auth/principal";
import { SESSION_COOKIE, authenticateSession } from "../auth/sessions";
import { safeEqual } from "../auth/secrets";
import { getDb } from "../db/client";
import { isSingleUserMode, readServerEnv } from "../env";
import { AppError } from "../errors";
import { resolveClientAddress, type ClientAddress } from "./client-address";

export const SINGLE_USER: Principal = { userId: null, email: "local user", role: "admin", teamId: "default", via: "single-user" };

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

/** The client's address and what a trusted proxy (TRUST_PROXY) reports about the request. */
export function clientAddress(headers: Pick<Headers, "get">): ClientAddress {
  return resolveClientAddress(headers, readServerEnv().TRUST_PROXY);
}

/**
 * Who sent the request: a bearer API token, else a session cookie, else (single-user mode, and
 * only for requests that did not come through a proxy) the local admin, else nobody. A bearer
 * token that does not check out is an error, not anonymity.
 */
export async function authenticateRequest(headers: Pick<Headers, "get">): Promise<Principal | null> {
  const db = getDb();
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const principal = match ? await authenticateApiToken(db, match[1]) : null;
    if (!principal) throw new AppError("UNAUTHORIZED", "the API token is invalid, expired or revoked");
    return principal;
  }
  const sessionToken = readCookie(headers.get("cookie"), SESSION_COOKIE);
  if (sessionToken) {
    const principal = await authenticateSession(db, sessionToken);
    if (principal) return principal;
  }
  return isSingleUserMode() && !clientAddress(headers).forwarded ? SINGLE_USER : null;
}

/** Why an anonymous request is refused; says so when single-user mode did not apply. */
export function unauthenticatedMessage(headers: Pick<Headers, "get">): string {
  if (isSingleUserMode() && clientAddress(headers).forwarded) {
    return "single-user mode only serves requests made directly on this machine, not through a proxy; sign in, or set RECLAB_SINGLE_USER=0 and create accounts";
  }
  return "sign in first, or send an API token as 'Authorization: Bearer <token>'";
}

/** Methods that change nothing. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for requests a browser could be tricked into sending: a cross-site Origin is
 * refused, and cookie sessions must echo their CSRF token in `x-csrf-token` (the page reads it
 * from the non-httpOnly reclab_csrf cookie). Bearer-token requests carry no ambient authority.
 */
export function checkCsrf(request: Request, principal: Principal | null): void {
  if (SAFE_METHODS.has(request.method) || principal?.via === "token") return;
  const origin = request.headers.get("origin");
  if (origin && origin !== "null") {
    const host = clientAddress(request.headers).forwardedHost ?? request.headers.get("host");
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (!host || originHost !== host) throw new AppError("FORBIDDEN", "cross-site request refused");
  } else if (origin === "null") {
    throw new AppError("FORBIDDEN", "cross-site request refused");
  }
  if (principal?.via === "session") {
    const sent = request.headers.get("x-csrf-token");
    if (!sent || !principal.csrfToken || !safeEqual(sent, principal.csrfToken)) {
      throw new AppError("FORBIDDEN", "missing or wrong CSRF token; reload the page and try again");
    }
  }
}

/** The client address for rate limiting and the audit log (forwarding headers only from a trusted proxy). */
export function clientIp(headers: Pick<Headers, "get">): string {
  return clientAddress(headers).ip;
}
