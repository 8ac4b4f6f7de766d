import "server-only";
import { NextResponse } from "next/server";
import { CSRF_COOKIE, SESSION_COOKIE, SESSION_TTL_MS } from "../auth/sessions";
import { readServerEnv } from "../env";

/** Secure cookies behind TLS (directly or via a proxy), or always/never when configured. */
function secure(request: Request): boolean {
  const setting = readServerEnv().RECLAB_SECURE_COOKIES;
  if (setting !== "auto") return setting === "1";
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
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
