/**
 * Security headers. The middleware sets them (with a per-request CSP) on every page and API
 * response; routes kept out of the middleware (uploads: Next.js would buffer and truncate their
 * bodies for it) set them themselves with `withSecurityHeaders`.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

/** Public read-only report pages (/share/<token>): no session needed, no app shell. */
export const SHARED_PAGE_PREFIX = "/share/";
/** Request header the middleware sets on shared pages only (any inbound copy is removed). */
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

/** Wraps a route handler so that its responses carry SECURITY_HEADERS and API_CSP. */
export function withSecurityHeaders<H extends (...args: never[]) => Promise<Response>>(handler: H): H {
  const wrapped = async (...args: Parameters<H>): Promise<Response> => {
    const response = await handler(...args);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
    if (!response.headers.has("content-security-policy")) response.headers.set("content-security-policy", API_CSP);
    return response;
  };
  return Object.assign(wrapped, handler) as unknown as H;
}
