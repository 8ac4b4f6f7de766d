import client from "prom-client";
import type { Db } from "../db/client";

/**
 * Prometheus metrics of a RecLab web process, served at /metrics by the web front
 * (scripts/web-server.ts). HTTP latency is observed in this process; the queue, job and worker
 * figures are read from the database at scrape time, so they cover every worker on every machine
 * without the workers exposing ports of their own.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: "reclab_web_" });

const httpDuration = new client.Histogram({
  name: "reclab_http_request_duration_seconds",
  help: "HTTP request latency by method, route (ids replaced) and status class",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Route labels seen so far: capped, so arbitrary paths cannot grow the series without bound. */
const MAX_ROUTE_LABELS = 200;
const routeLabels = new Set<string>();

/** "/api/runs/clx0abc…/bias?x=1" -> "/api/runs/:id/bias"; unknown shapes past the cap -> "other". */
export function routeLabel(url: string): string {
  const pathname = url.split("?")[0] ?? "/";
  if (pathname.startsWith("/_next/")) return "/_next";
  const segments = pathname.split("/").filter(Boolean).slice(0, 6);
  const label = "/" + segments.map((s) => (/^[a-z][a-z.-]{0,40}$/.test(s) ? s : ":id")).join("/");
  if (routeLabels.has(label)) return label;
  if (routeLabels.size >= MAX_ROUTE_LABELS) return "other";
  routeLabels.add(label);
  return label;
}

/** Times one request of the web front (scripts/web-server.ts) into the latency histogram. */
export function timeRequest(req: { method?: string; url?: string }, res: { statusCode: number; once(event: "finish", listener: () => void): unknown }): void {
  const started = process.hrtime.bigint();
  res.once("finish", () => observeHttpRequest(req.method ?? "GET", req.url ?? "/", res.statusCode, Number(process.hrtime.bigint() - started) / 1e9));
}

export function observeHttpRequest(method: string, url: string, statusCode: number, seconds: number): void {
  httpDuration.observe({ method, route: routeLabel(url), status: `${Math.floor(statusCode / 100)}xx` }, seconds);
}

let metricsDb: (() => Db) | null = null;

/** Enables the database-backed gauges (queue depth, job durations, failures, worker heartbeats). */
export function collectQueueMetricsFrom(getDb: () => Db): void {
  metricsDb = getDb;
}

new client.Gauge({
  name: "reclab_jobs",
  help: "Jobs by name and state (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)",
  labelNames: ["name", "state"] as const,
  registers: [registry],
  async collect() {
    if (!metricsDb) return;
    this.reset();
    const groups = await metricsDb().job.groupBy({ by: ["name", "status"], _count: { _all: true } });
    for (const g of groups) this.set({ name: g.name, state: g.status }, g._count._all);
  },
});

/**
 * Job durations and failures are fed from finished jobs as they appear in the database: each
 * scrape reads the jobs finished since the previous one (the first reads the most recent
 * BACKFILL), so the histogram and counter only ever grow, as Prometheus expects, and cover
 * every worker on every machine.
 */
const BACKFILL = 5000;

const jobDuration = new client.Histogram({
  name: "reclab_job_duration_seconds",
  help: "Run time of finished jobs (claim to finish of the last attempt) by name and outcome",
  labelNames: ["name", "status"] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers: [registry],
  collect: consumeFinishedJobsOnce,
});

const jobFailures = new client.Counter({
  name: "reclab_job_failures_total",
  help: "Jobs that failed for good (no attempt left, or a user error), by name",
  labelNames: ["name"] as const,
  registers: [registry],
  collect: consumeFinishedJobsOnce,
});

/** The newest finishedAt consumed so far, and the ids finished at that very instant (ties). */
let finishedWatermark: { at: Date; ids: Set<string> } | null = null;
let consuming: Promise<void> | null = null;

/** Both metrics call this from their collect hooks (which the registry runs concurrently): one read per scrape. */
function consumeFinishedJobsOnce(): Promise<void> {
  if (!metricsDb) return Promise.resolve();
  consuming ??= consumeFinishedJobs(metricsDb()).finally(() => (consuming = null));
  return consuming;
}

async function consumeFinishedJobs(db: Db): Promise<void> {
  const rows = await db.job.findMany({
    where: { status: { in: ["SUCCEEDED", "FAILED", "CANCELLED"] }, finishedAt: finishedWatermark ? { gte: finishedWatermark.at } : { not: null } },
    select: { id: true, name: true, status: true, startedAt: true, finishedAt: true },
    orderBy: { finishedAt: finishedWatermark ? "asc" : "desc" },
    take: BACKFILL,
  });
  if (!finishedWatermark) rows.reverse();
  for (const row of rows) {
    if (finishedWatermark?.ids.has(row.id)) continue;
    const finishedAt = row.finishedAt!;
    if (!finishedWatermark || finishedAt.getTime() > finishedWatermark.at.getTime()) finishedWatermark = { at: finishedAt, ids: new Set() };
    finishedWatermark.ids.add(row.id);
    if (row.status === "FAILED") jobFailures.inc({ name: row.name });
    if (row.startedAt) jobDuration.observe({ name: row.name, status: row.status }, Math.max(0, (finishedAt.getTime() - row.startedAt.getTime()) / 1000));
  }
}

/** How far back an idle worker's last job still counts it as present. */
const WORKER_WINDOW_MS = 60 * 60 * 1000;

new client.Gauge({
  name: "reclab_worker_last_seen_timestamp_seconds",
  help: "When each worker was last heard from (lease renewal or finished job) within the last hour, Unix seconds",
  labelNames: ["worker"] as const,
  registers: [registry],
  async collect() {
    if (!metricsDb) return;
    this.reset();
    const groups = await metricsDb().job.groupBy({
      by: ["lockedBy"],
      where: { lockedBy: { not: null }, updatedAt: { gte: new Date(Date.now() - WORKER_WINDOW_MS) } },
      _max: { heartbeatAt: true, finishedAt: true },
    });
    for (const g of groups) {
      const seen = Math.max(g._max.heartbeatAt?.getTime() ?? 0, g._max.finishedAt?.getTime() ?? 0);
      if (g.lockedBy && seen > 0) this.set({ worker: g.lockedBy }, seen / 1000);
    }
  },
});

new client.Gauge({
  name: "reclab_worker_heartbeat_age_seconds",
  help: "Seconds since each busy worker last renewed its job's lease",
  labelNames: ["worker"] as const,
  registers: [registry],
  async collect() {
    if (!metricsDb) return;
    this.reset();
    const rows = await metricsDb().job.findMany({ where: { status: "RUNNING" }, select: { lockedBy: true, heartbeatAt: true }, take: 1000 });
    const now = Date.now();
    for (const r of rows) if (r.lockedBy && r.heartbeatAt) this.set({ worker: r.lockedBy }, (now - r.heartbeatAt.getTime()) / 1000);
  },
});

new client.Gauge({
  name: "reclab_queue_oldest_waiting_seconds",
  help: "Age of the oldest job waiting for a worker (0 when none waits)",
  registers: [registry],
  async collect() {
    if (!metricsDb) return;
    const oldest = await metricsDb().job.findFirst({ where: { status: "QUEUED", availableAt: { lte: new Date() } }, orderBy: { availableAt: "asc" }, select: { availableAt: true } });
    this.set(oldest ? (Date.now() - oldest.availableAt.getTime()) / 1000 : 0);
  },
});

