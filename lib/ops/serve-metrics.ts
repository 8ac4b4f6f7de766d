import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isTrustedProxy, type TrustProxy } from "../server/client-address";
import { logger } from "./logger";
import { registry } from "./metrics";

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Answers a Prometheus scrape. With RECLAB_METRICS_TOKEN set the scraper must send it as a bearer
 * token; without it only loopback and trusted-proxy peers are served (the figures hold no user
 * data, but queue sizes and route latencies are nobody else's business).
 */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, options: { token?: string; peer: string; trust: TrustProxy }): Promise<void> {
  if (!mayScrape(req.headers.authorization, options)) {
    res.writeHead(options.token ? 401 : 403, { "content-type": "text/plain" }).end(options.token ? "bearer token required\n" : "forbidden\n");
    return;
  }
  try {
    const body = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" }).end(body);
  } catch (error) {
    logger.error({ component: "metrics", err: error }, "scrape failed");
    res.writeHead(503, { "content-type": "text/plain" }).end("metrics unavailable\n");
  }
}

export function mayScrape(authorization: string | undefined, options: { token?: string; peer: string; trust: TrustProxy }): boolean {
  if (options.token) {
    const given = Buffer.from(authorization?.replace(/^Bearer\s+/i, "") ?? "");
    const expected = Buffer.from(options.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return LOOPBACK.test(options.peer) || isTrustedProxy(options.peer, options.trust);
}
