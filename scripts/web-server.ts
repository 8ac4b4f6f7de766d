// The web server (`npm run web`, and `npm start` runs it): Next.js behind a small node:http
// front that tells the app who is really connected. Route handlers cannot see the socket, and
// Next.js keeps a client-sent X-Forwarded-For, so this front overwrites x-reclab-peer with the
// socket address and x-reclab-forwarded with whether any forwarding header came in, and drops
// forwarding headers from peers TRUST_PROXY does not name (lib/server/client-address.ts). It
// also sets every response's security headers and the page's CSP nonce (lib/server/security-headers.ts).
// NODE_ENV=production serves the build (`npm start`, `npm run web`); otherwise Next.js compiles
// on demand (`npm run dev`).
import http from "node:http";
import next from "next";
import { getDb } from "../lib/db/client";
import { readServerEnv } from "../lib/env";
import { logger } from "../lib/ops/logger";
import { collectQueueMetricsFrom, timeRequest } from "../lib/ops/metrics";
import { serveMetrics } from "../lib/ops/serve-metrics";
import { FORWARDED_FLAG_HEADER, FORWARDING_HEADERS, PEER_HEADER, isTrustedProxy, trustPeerHeader } from "../lib/server/client-address";
import { applySecurityHeaders } from "../lib/server/security-headers";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";
const serverEnv = readServerEnv();
const trust = serverEnv.TRUST_PROXY;
collectQueueMetricsFrom(getDb);

const dev = process.env.NODE_ENV !== "production";
const STATIC_PREFIX = "/_next/static/";
const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
trustPeerHeader();

const server = http.createServer((req, res) => {
  const peer = req.socket.remoteAddress ?? "";
  if (req.url === "/metrics" || req.url?.startsWith("/metrics?")) return void serveMetrics(req, res, { token: serverEnv.RECLAB_METRICS_TOKEN, peer, trust });
  timeRequest(req, res);
  const forwarded = FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
  delete req.headers[PEER_HEADER];
  delete req.headers[FORWARDED_FLAG_HEADER];
  if (!isTrustedProxy(peer, trust)) for (const h of [...FORWARDING_HEADERS, "x-forwarded-port"]) delete req.headers[h];
  req.headers[PEER_HEADER] = peer;
  if (forwarded) req.headers[FORWARDED_FLAG_HEADER] = "1";
  applySecurityHeaders(req, res, dev);
  // Pages and JSON are small and new on every poll, and gzip cost ~4 ms of CPU per page here, a
  // fifth of its cost (docs/benchmarks/load.md): they go out uncompressed unless
  // RECLAB_COMPRESS_DYNAMIC=1. Static chunks (immutable, cached by browsers) stay compressed; a
  // reverse proxy may compress the rest (docs/deploy.md).
  if (!serverEnv.RECLAB_COMPRESS_DYNAMIC && !req.url?.startsWith(STATIC_PREFIX)) delete req.headers["accept-encoding"];
  void handle(req, res);
});
server.listen(port, hostname, () => logger.info({ component: "web", url: `http://${hostname}:${port}` }, "ready"));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
