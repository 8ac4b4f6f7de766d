import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ready from "@/app/api/ready/route";
import { createDb } from "@/lib/db/client";
import { checkReadiness } from "@/lib/ops/readiness";
import { collectQueueMetricsFrom, timeRequest } from "@/lib/ops/metrics";
import { serveMetrics } from "@/lib/ops/serve-metrics";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { call, setDefaultToken, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

const REDIS_URL = process.env.RECLAB_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts connections and never says a word: what a hung dependency looks like. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

/** The web front's /metrics and request timing, as scripts/web-server.ts wires them, on an ephemeral port. */
async function metricsServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === "/metrics") return void serveMetrics(req, res, { peer: req.socket.remoteAddress ?? "", trust: { kind: "none" } });
    timeRequest(req, res);
    res.writeHead(req.url === "/api/runs" ? 200 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The value of one exposition line, given everything before the value. */
function line(text: string, series: string): number {
  const found = text.split("\n").find((l) => l.startsWith(`${series} `));
  return found === undefined ? NaN : Number(found.slice(series.length + 1));
}

describe.each(PROVIDERS)("operations endpoints on %s", (provider) => {
  let database: TestDatabase;
  let bare: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    bare = await createTestDatabase(provider, false);
    useDatabase(database.handle);
    setDefaultToken(null);
  });
  afterAll(async () => {
    await database?.drop();
    await bare?.drop();
  });

  it("GET /api/ready answers 200 when the database answers and every migration is applied", async () => {
    const { status, body } = await call(ready.GET, { token: null });
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.checks.migrations.detail).toMatch(/^\d+ migrations applied$/);
  });

  it("is not ready on a database without migrations, naming them", async () => {
    const readiness = await checkReadiness(bare.handle.db, { databaseUrl: bare.handle.url });
    expect(readiness.ok).toBe(false);
    expect(readiness.checks.database.ok).toBe(true);
    expect(readiness.checks.migrations.detail).toMatch(/migration\(s\) not applied: 0001_.*run npm run db:migrate/);
  });

  it("serves /metrics in the Prometheus text format: queue depth per state, job durations, failures, heartbeats, HTTP latency", async () => {
    // The registry is process-wide (the other provider's run fed it too): counts are read as deltas.
    collectQueueMetricsFrom(() => database.handle.db);
    const server = await metricsServer();
    const before = await (await fetch(`${server.url}/metrics`)).text();
    const delta = (text: string, series: string) => line(text, series) - (line(before, series) || 0);
    const queue = new DbJobQueue(database.handle.db);
    await queue.enqueue("train-run", { runId: "a" });
    await queue.enqueue("train-run", { runId: "b" });
    const done = await queue.enqueue("rerank-sweep", { runId: "c" });
    const broken = await queue.enqueue("rerank-sweep", { runId: "d" }, { maxAttempts: 1 });
    await queue.claim("w-1", { leaseMs: 60_000, names: ["rerank-sweep"] });
    await queue.complete(done.id, "w-1", {});
    await queue.claim("w-1", { leaseMs: 60_000, names: ["rerank-sweep"] });
    await queue.fail(broken.id, "w-1", "bad", { retry: false });
    await queue.claim("w-2", { leaseMs: 60_000 });
    try {
      for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/runs`)).status).toBe(200);
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
      const samples = (name: string) => families.get(name)?.metrics ?? [];
      const value = (name: string, labels: Record<string, string>) =>
        Number(samples(name).find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);

      expect(families.get("reclab_jobs")?.type).toBe("GAUGE");
      expect(value("reclab_jobs", { name: "train-run", state: "QUEUED" })).toBe(1);
      expect(value("reclab_jobs", { name: "train-run", state: "RUNNING" })).toBe(1);
      expect(value("reclab_jobs", { name: "rerank-sweep", state: "SUCCEEDED" })).toBe(1);
      expect(value("reclab_jobs", { name: "rerank-sweep", state: "FAILED" })).toBe(1);

      // parse-prometheus-text-format 1.1.1 folds a histogram's labelled series into one bucket map
      // (labels dropped), so per-series counts are read from the exposition lines themselves.
      expect(families.get("reclab_job_duration_seconds")?.type).toBe("HISTOGRAM");
      expect(Number(samples("reclab_job_duration_seconds")[0]?.buckets?.["+Inf"])).toBeGreaterThanOrEqual(1);
      expect(delta(text, 'reclab_job_duration_seconds_count{name="rerank-sweep",status="SUCCEEDED"}')).toBe(1);
      expect(delta(text, 'reclab_job_duration_seconds_count{name="rerank-sweep",status="FAILED"}')).toBe(1);
      const sum = delta(text, 'reclab_job_duration_seconds_sum{name="rerank-sweep",status="SUCCEEDED"}');
      expect(sum).toBeGreaterThanOrEqual(0);
      expect(sum).toBeLessThan(60);

      expect(families.get("reclab_job_failures_total")?.type).toBe("COUNTER");
      expect(delta(text, 'reclab_job_failures_total{name="rerank-sweep"}')).toBe(1);

      const now = Date.now() / 1000;
      for (const worker of ["w-1", "w-2"]) {
        const seen = value("reclab_worker_last_seen_timestamp_seconds", { worker });
        expect(seen).toBeGreaterThan(now - 120);
        expect(seen).toBeLessThanOrEqual(now + 1);
      }
      expect(value("reclab_worker_heartbeat_age_seconds", { worker: "w-2" })).toBeGreaterThanOrEqual(0);
      expect(Number(samples("reclab_queue_oldest_waiting_seconds")[0]?.value)).toBeGreaterThanOrEqual(0);

      expect(families.get("reclab_http_request_duration_seconds")?.type).toBe("HISTOGRAM");
      expect(delta(text, 'reclab_http_request_duration_seconds_count{method="GET",route="/api/runs",status="2xx"}')).toBe(3);
      expect(delta(text, 'reclab_http_request_duration_seconds_bucket{le="10",method="GET",route="/api/runs",status="2xx"}')).toBe(3);

      // A second scrape counts nothing twice: the histogram and counter only grow with new jobs.
      const again = await (await fetch(`${server.url}/metrics`)).text();
      expect(delta(again, 'reclab_job_failures_total{name="rerank-sweep"}')).toBe(1);
      expect(delta(again, 'reclab_job_duration_seconds_count{name="rerank-sweep",status="SUCCEEDED"}')).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe("readiness reports a dependency that is down within 5 s", () => {
  it("PostgreSQL on a closed port", async () => {
    const url = `postgresql://postgres@127.0.0.1:${await closedPort()}/reclab_ops_absent`;
    const { db } = createDb(url);
    const started = performance.now();
    const readiness = await checkReadiness(db, { databaseUrl: url, redisUrl: "" });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(readiness.ok).toBe(false);
    expect(readiness.checks.database).toMatchObject({ ok: false, detail: expect.stringMatching(/^the database did not answer/) });
    expect(readiness.checks.migrations).toBeUndefined();
    await db.$disconnect().catch(() => undefined);
  });

  it("PostgreSQL that accepts connections and never answers", async () => {
    const silent = await silentServer();
    const url = `postgresql://postgres@127.0.0.1:${silent.port}/reclab_ops_hung`;
    const { db } = createDb(url);
    try {
      const started = performance.now();
      const readiness = await checkReadiness(db, { databaseUrl: url, redisUrl: "" });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(readiness.checks.database).toEqual({ ok: false, detail: "the database did not answer within 2000 ms" });
    } finally {
      await silent.close();
      void db.$disconnect().catch(() => undefined);
    }
  });

  it.each(PROVIDERS)("Redis on a closed port, with %s up: not ready, the database still reported", async (provider) => {
    const database = await createTestDatabase(provider);
    try {
      const started = performance.now();
      const readiness = await checkReadiness(database.handle.db, { databaseUrl: database.url, redisUrl: `redis://127.0.0.1:${await closedPort()}` });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(readiness.ok).toBe(false);
      expect(readiness.checks.database.ok).toBe(true);
      expect(readiness.checks.migrations.ok).toBe(true);
      expect(readiness.checks.redis).toMatchObject({ ok: false, detail: expect.stringMatching(/^redis did not answer: .*ECONNREFUSED/) });
    } finally {
      await database.drop();
    }
  });

  it("Redis that accepts connections and never answers", async () => {
    const silent = await silentServer();
    const database = await createTestDatabase("sqlite");
    try {
      const started = performance.now();
      const readiness = await checkReadiness(database.handle.db, { databaseUrl: database.url, redisUrl: `redis://127.0.0.1:${silent.port}` });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(readiness.checks.redis.ok).toBe(false);
      expect(readiness.checks.redis.detail).toMatch(/^redis did not answer/);
    } finally {
      await silent.close();
      await database.drop();
    }
  });

  it("a live Redis is ready", async (context) => {
    const database = await createTestDatabase("sqlite");
    try {
      const readiness = await checkReadiness(database.handle.db, { databaseUrl: database.url, redisUrl: REDIS_URL });
      if (!readiness.checks.redis.ok && /ECONNREFUSED/.test(readiness.checks.redis.detail)) return context.skip(`no Redis at ${REDIS_URL}`);
      expect(readiness.checks.redis).toMatchObject({ ok: true, detail: expect.stringMatching(/^redis answered PING in \d+ ms$/) });
      expect(readiness.ok).toBe(true);
    } finally {
      await database.drop();
    }
  });
});
