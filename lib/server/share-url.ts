import "server-only";
import { clientAddress } from "./authenticate";

/**
 * The absolute URL of `path` as the caller reached this server: the Host header (or what a
 * trusted proxy reports in X-Forwarded-Host/-Proto), so a link works from the creator's browser.
 */
export function shareUrl(request: Request, path: string): string {
  const address = clientAddress(request.headers);
  const own = new URL(request.url);
  const host = address.forwardedHost ?? request.headers.get("host") ?? own.host;
  const proto = address.forwardedProto ?? own.protocol.replace(":", "");
  return `${proto}://${host}${path}`;
}
