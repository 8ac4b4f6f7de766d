import { NextResponse, type NextRequest } from "next/server";
import { SECURITY_HEADERS, SHARED_PAGE_HEADERS, SHARED_PAGE_PREFIX, SHARED_PAGE_REQUEST_HEADER } from "./lib/server/security-headers";

/**
 * Security headers on every response. Scripts run only with this request's nonce (Next.js adds
 * it to its own scripts when it sees the CSP request header), so no 'unsafe-inline' for scripts
 * or style elements; inline style *attributes* stay allowed because chart libraries set them.
 */
export function middleware(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  // Shared report pages are public and render without the app's shell (app/layout.tsx reads
  // this header, which only the middleware sets); their token must not leak or be cached.
  const shared = request.nextUrl.pathname.startsWith(SHARED_PAGE_PREFIX);
  if (shared) requestHeaders.set(SHARED_PAGE_REQUEST_HEADER, "1");
  else requestHeaders.delete(SHARED_PAGE_REQUEST_HEADER);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  if (shared) for (const [name, value] of Object.entries(SHARED_PAGE_HEADERS)) response.headers.set(name, value);
  return response;
}

/**
 * Every path but static files and the upload routes: Next.js buffers a request body for the
 * middleware and cuts it at 10 MB, so /api/datasets and /api/ab-tests/import (POST: uploads up to
 * RECLAB_UPLOAD_LIMIT_MB) must not pass through it. Those routes set the security headers
 * themselves (withSecurityHeaders).
 */
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/datasets/?$|api/ab-tests/import/?$).*)" }],
};
