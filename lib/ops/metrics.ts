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

/** How many finished jobs the duration quantiles look at (the most recent ones). */
const DURATION_SAMPLE = 500;

new client.Gauge({
  name: "reclab_job_duration_seconds",
  help: `Run time of the last ${DURATION_SAMPLE} finished jobs of each name, as quantiles`,
  labelNames: ["name", "quantile"] as const,
  registers: [registry],
  async collect() {
    if (!metricsDb) return;
    this.reset();
    const rows = await metricsDb().job.findMany({
      where: { status: "SUCCEEDED", startedAt: { not: null }, finishedAt: { not: null } },
      select: { name: true, startedAt: true, finishedAt: true },
      orderBy: { finishedAt: "desc" },
      take: DURATION_SAMPLE,
    });
    const byName = new Map<string, number[]>();
    for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), (r.finishedAt!.getTime() - r.startedAt!.getTime()) / 1000]);
    for (const [name, seconds] of byName) {
      seconds.sort((a, b) => a - b);
      for (const q of [0.5, 0.9, 0.99]) this.set({ name, quantile: String(q) }, seconds[Math.min(seconds.length - 1, Math.floor(q * seconds.length))]);
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

