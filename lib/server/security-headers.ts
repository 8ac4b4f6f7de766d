import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { peerHeaderTrusted } from "./client-address";

/**
 * Security headers. The web server's front (scripts/web-server.ts) sets them on every response
 * before Next.js sees the request (`applySecurityHeaders`): pages get a CSP with a per-request
 * script nonce, JSON gets API_CSP. A Next.js middleware did this before, at ~3 ms of CPU per
 * request (its edge-runtime sandbox) and with every request body buffered for it
 * (docs/benchmarks/load.md).
 * Kept free of Next.js so the web server can import it.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

/** Public read-only report pages (/share/<token>): no session needed, no app shell. */
export const SHARED_PAGE_PREFIX = "/share/";
/** Request header the front sets on shared pages only (any inbound copy is removed). */
export const SHARED_PAGE_REQUEST_HEADER = "x-reclab-shared-page";
/**
 * On top of SECURITY_HEADERS for shared pages: never cached (a revoked link must stop working
 * at once), the token in the URL never sent on as a Referer, and not indexed.
 */
export const SHARED_PAGE_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
};

/** A CSP for JSON responses: they load nothing and may not be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Scripts run only with this request's nonce (Next.js reads it from the request's CSP header and
 * adds it to its own scripts), so no 'unsafe-inline' for scripts or style elements; inline style
 * *attributes* stay allowed because chart libraries set them. `next dev` also needs eval.
 */
export function pageCsp(nonce: string, dev: boolean): string {
  return [
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
}

/** Whether to render a shared report's bare page: only the front's marker counts, never a client's. */
export function isSharedPageRequest(headers: Pick<Headers, "get">): boolean {
  return peerHeaderTrusted() && headers.get(SHARED_PAGE_REQUEST_HEADER) === "1";
}

/**
 * For one request, before Next.js handles it: the response's security headers, the nonce the
 * page renders with (request headers `content-security-policy` and `x-nonce`), and the shared
 * page marker (app/layout.tsx renders a shared report without the app's shell), which only this
 * function sets: an inbound copy is removed.
 */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean): void {
  const pathname = (req.url ?? "/").split("?")[0];
  const api = pathname.startsWith("/api/");
  const nonce = randomBytes(16).toString("base64");
  const csp = api ? API_CSP : pageCsp(nonce, dev);
  delete req.headers[SHARED_PAGE_REQUEST_HEADER];
  if (!api) {
    req.headers["content-security-policy"] = csp;
    req.headers["x-nonce"] = nonce;
  }
  res.setHeader("content-security-policy", csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (pathname.startsWith(SHARED_PAGE_PREFIX)) {
    req.headers[SHARED_PAGE_REQUEST_HEADER] = "1";
    for (const [name, value] of Object.entries(SHARED_PAGE_HEADERS)) res.setHeader(name, value);
  }
}
