// Closed-loop HTTP readers for bench:load: each client requests one endpoint after another
// (round robin from its own starting point), pausing `thinkMs` between requests like a
// dashboard polling at its fastest interval, and every request's latency and outcome is kept.
// Requests go through node:http with keep-alive rather than fetch: on loopback the readers share
// the machine with the server they measure, and undici's fetch spent ~45% of a core on 50
// readers (2 cores), about as much as the web server itself.
import http from "node:http";

export interface Endpoint {
  /** Row label in the results ("runs list (API)"). */
  label: string;
  /** The path to request next (may pick a different run each time). */
  path(): string;
}

export interface EndpointStats {
  label: string;
  requests: number;
  errors: number;
  /** Up to five distinct error descriptions ("503 /api/runs", "ECONNRESET"). */
  errorSamples: string[];
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The q-quantile (nearest rank) of ascending-sorted values; NaN for none. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summarise(label: string, latenciesMs: number[], errors: string[]): EndpointStats {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    label,
    requests: latenciesMs.length,
    errors: errors.length,
    errorSamples: [...new Set(errors)].slice(0, 5),
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
  };
}

/** Runs `clients` readers against `baseUrl` until `stop` resolves; returns per-endpoint stats. */
export async function runReaders(options: { baseUrl: string; clients: number; thinkMs: number; endpoints: Endpoint[]; stop: Promise<unknown>; timeoutMs?: number }): Promise<EndpointStats[]> {
  const { baseUrl, clients, thinkMs, endpoints, timeoutMs = 30_000 } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies = endpoints.map(() => [] as number[]);
  const errors = endpoints.map(() => [] as string[]);
  let stopped = false;
  void options.stop.then(() => (stopped = true));

  const client = async (index: number) => {
    // Spread the clients' first requests over one think interval so they do not arrive in lockstep.
    await sleep((thinkMs * index) / clients);
    for (let n = index; !stopped; n++) {
      const e = n % endpoints.length;
      const path = endpoints[e].path();
      const started = performance.now();
      try {
        const status = await get(baseUrl + path, agent, timeoutMs);
        latencies[e].push(performance.now() - started);
        if (status !== 200) errors[e].push(`${status} ${path.split("?")[0]}`);
      } catch (error) {
        latencies[e].push(performance.now() - started);
        errors[e].push(error instanceof Error ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}` : String(error));
      }
      if (thinkMs > 0 && !stopped) await sleep(thinkMs);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  agent.destroy();
  return endpoints.map((e, i) => summarise(e.label, latencies[i], errors[i]));
}

/**
 * GETs `url` and reads the whole body (redirects not followed); resolves with the status. A
 * request on a kept-alive socket that the server closed just then is sent again once, on a new
 * socket, as browsers do (Node's documented pattern, `request.reusedSocket`).
 */
function get(url: string, agent: http.Agent, timeoutMs: number, retry = true): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, timeout: timeoutMs }, (response) => {
      response.on("error", reject);
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.resume();
    });
    request.on("timeout", () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: "TimeoutError" })));
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (retry && request.reusedSocket && error.code === "ECONNRESET") resolve(get(url, agent, timeoutMs, false));
      else reject(error);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
