import "server-only";
import { NextResponse } from "next/server";
import { CSRF_COOKIE, SESSION_COOKIE, SESSION_TTL_MS } from "../auth/sessions";
import { readServerEnv } from "../env";
import { clientAddress } from "./authenticate";

/**
 * Secure cookies behind TLS, or always/never when configured. Behind scripts/web-server.ts
 * (plain HTTP) only a trusted proxy's X-Forwarded-Proto can say the client used HTTPS; whatever
 * else claims it (Next.js derives request.url's scheme from that header too) is ignored.
 */
function secure(request: Request): boolean {
  const env = readServerEnv();
  if (env.RECLAB_SECURE_COOKIES !== "auto") return env.RECLAB_SECURE_COOKIES === "1";
  const address = clientAddress(request.headers);
  if (address.viaTrustedProxy) return address.forwardedProto === "https";
  if (address.peer) return false;
  return new URL(request.url).protocol === "https:";
}

/**
 * The session cookie is httpOnly (scripts cannot read it); the CSRF cookie is readable so the
 * page can echo it in x-csrf-token. Both SameSite=Lax, Secure behind TLS.
 */
export function withSessionCookies(request: Request, response: NextResponse, session: { token: string; csrfToken: string }): NextResponse {
  const base = { sameSite: "lax" as const, secure: secure(request), path: "/", maxAge: SESSION_TTL_MS / 1000 };
  response.cookies.set(SESSION_COOKIE, session.token, { ...base, httpOnly: true });
  response.cookies.set(CSRF_COOKIE, session.csrfToken, { ...base, httpOnly: false });
  return response;
}

export function clearSessionCookies(response: NextResponse): NextResponse {
  response.cookies.set(SESSION_COOKIE, "", { path: "/", maxAge: 0, httpOnly: true, sameSite: "lax" });
  response.cookies.set(CSRF_COOKIE, "", { path: "/", maxAge: 0, sameSite: "lax" });
  return response;
}
