// Load benchmark: a web server and N worker processes on one machine, 1,000 small trials queued
// (random searches of ItemKNN on a small synthetic dataset, launched through the API) while C
// concurrent clients read the runs list, an experiment's members and run pages over loopback.
// Records trial throughput and p50/p95/p99 latency and errors per endpoint to
// docs/benchmarks/load.md (one section per queue) and bench-results/load-<queue>.json.
//   npm run bench:load -- [--queue db|bullmq] [--database sqlite|postgres] [--trials 1000]
//       [--workers 4] [--clients 50] [--think-ms 1000] [--warmup-s 10] [--port 3420] [--no-write]
// The readers first run for --warmup-s against the freshly started web server with no worker
// running (JIT and module caches warm, as on a server that has been up for a while; those
// requests are reported apart), then the workers start and the measured phase begins.
// Needs a production build (`npx next build`). --queue bullmq needs REDIS_URL (the BullMQ queue
// is selected by it); --queue db removes REDIS_URL from the children's environment.
import { spawn, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createDb } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { createSyntheticDataset } from "../lib/storage/create-synthetic-dataset";
import { runReaders, type EndpointStats } from "./bench/load-readers";
import { fixed, formatTable } from "./bench/table";

const { values } = parseArgs({
  options: {
    queue: { type: "string", default: "db" },
    database: { type: "string", default: "sqlite" },
    trials: { type: "string", default: "1000" },
    workers: { type: "string", default: "4" },
    clients: { type: "string", default: "50" },
    "think-ms": { type: "string", default: "1000" },
    "warmup-s": { type: "string", default: "10" },
    port: { type: "string", default: "3420" },
    "no-write": { type: "boolean", default: false },
  },
});
const queue = values.queue!;
if (queue !== "db" && queue !== "bullmq") throw new Error(`--queue: db or bullmq, not "${queue}"`);
if (queue === "bullmq" && !process.env.REDIS_URL) throw new Error("--queue bullmq: set REDIS_URL (e.g. redis://127.0.0.1:6379/9)");
const databaseKind = values.database!;
if (databaseKind !== "sqlite" && databaseKind !== "postgres") throw new Error(`--database: sqlite or postgres, not "${databaseKind}"`);
const trials = Number(values.trials);
const workerCount = Number(values.workers);
const clients = Number(values.clients);
const thinkMs = Number(values["think-ms"]);
const warmupSeconds = Number(values["warmup-s"]);
const port = Number(values.port);
const TRIALS_PER_EXPERIMENT = 250; // under MAX_EXPERIMENT_RUNS (500): several experiments, as teams run them
if (!fs.existsSync(".next/BUILD_ID")) throw new Error("no production build: run `npx next build` first");

const database = await openDatabase(databaseKind);
const children: ChildProcess[] = [];
const cleanup = async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await database.drop();
};
process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

try {
  await applyMigrations(database.url);
  const { db } = createDb(database.url);
  const { id: datasetId } = await createSyntheticDataset(db, { name: "load bench", options: { numUsers: 200, numItems: 300, interactionsPerUser: 20, seed: 1 } });

  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, HOST: "127.0.0.1", RECLAB_MIGRATE_ON_START: "false", NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn" };
  if (queue === "db") delete env.REDIS_URL;
  const web = spawn(process.execPath, ["--import", "tsx", "scripts/web-server.ts"], { env: { ...env, PORT: String(port), NODE_ENV: "production" }, stdio: ["ignore", "ignore", "inherit"] });
  children.push(web);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(baseUrl, web);

  // Queue every trial through the API before any worker starts.
  const experimentIds: string[] = [];
  for (let left = trials, i = 0; left > 0; left -= TRIALS_PER_EXPERIMENT, i++) {
    const response = await fetch(`${baseUrl}/api/experiments`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify({
        datasetId,
        name: `load ${i + 1}`,
        base: { modelId: "item-knn", ks: [10] },
        spec: { kind: "random", trials: Math.min(left, TRIALS_PER_EXPERIMENT), seed: i + 1, space: { neighbours: { type: "uniform", min: 5, max: 100, integer: true } } },
      }),
    });
    if (response.status !== 201) throw new Error(`launching experiment ${i + 1}: ${response.status} ${await response.text()}`);
    experimentIds.push(((await response.json()) as { id: string }).id);
  }
  const runIds = (await db.run.findMany({ where: { experimentId: { in: experimentIds } }, select: { id: true } })).map((r) => r.id);
  console.log(`queued ${runIds.length} trials in ${experimentIds.length} experiments; starting ${workerCount} workers and ${clients} readers (think ${thinkMs} ms)`);

  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  const endpoints = [
    { label: "runs list (API)", path: () => "/api/runs?limit=25" },
    { label: "runs list (page)", path: () => "/runs" },
    { label: "experiment members (API)", path: () => `/api/runs?experiment=${pick(experimentIds)}&limit=25` },
    { label: "run (API)", path: () => `/api/runs/${pick(runIds)}` },
    { label: "run page", path: () => `/runs/${pick(runIds)}` },
  ];

  const warmup = warmupSeconds > 0 ? await runReaders({ baseUrl, clients, thinkMs, endpoints, stop: new Promise((r) => setTimeout(r, warmupSeconds * 1000)) }) : [];
  const started = Date.now();
  const webCpuBefore = schedStat(web.pid);
  for (let i = 0; i < workerCount; i++) {
    children.push(spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], { env: { ...env, RECLAB_POLL_MS: "200" }, stdio: ["ignore", "ignore", "inherit"] }));
  }
  const finished = waitForExperiments(db, experimentIds);
  const stats = await runReaders({ baseUrl, clients, thinkMs, endpoints, stop: finished });
  const wallSeconds = (Date.now() - started) / 1000;
  const webCpu = schedDelta(webCpuBefore, schedStat(web.pid));
  const outcome = await db.run.groupBy({ by: ["status"], where: { experimentId: { in: experimentIds }, role: { not: "final" } }, _count: { _all: true } });
  const succeeded = outcome.find((o) => o.status === "SUCCEEDED")?._count._all ?? 0;
  await db.$disconnect();

  const result = {
    date: new Date().toISOString(),
    machine: machine(),
    queue,
    database: databaseKind,
    trials: runIds.length,
    trialOutcomes: Object.fromEntries(outcome.map((o) => [o.status, o._count._all])),
    workers: workerCount,
    clients,
    thinkMs,
    warmupSeconds,
    warmup,
    wallSeconds,
    webCpu,
    trialsPerSecond: succeeded / wallSeconds,
    endpoints: stats,
    verdict: verdict(stats, warmup),
  };
  const markdown = toMarkdown(result);
  console.log(`\n${markdown}`);
  if (!values["no-write"]) {
    fs.mkdirSync("bench-results", { recursive: true });
    const key = `${queue}-${databaseKind}`;
    fs.writeFileSync(`bench-results/load-${key}.json`, JSON.stringify(result, null, 2));
    writeSection("docs/benchmarks/load.md", key, markdown);
    console.log(`wrote docs/benchmarks/load.md (section ${key}) and bench-results/load-${key}.json`);
  }
} finally {
  await cleanup();
}

/** The acceptance target: runs list p95 under 300 ms while the workers run, and no errors anywhere (warm-up included). */
function verdict(stats: EndpointStats[], warmup: EndpointStats[]): string {
  const list = stats.filter((s) => s.label.startsWith("runs list"));
  const errors = [...stats, ...warmup].reduce((n, s) => n + s.errors, 0);
  const worst = Math.max(...list.map((s) => s.p95));
  return `${worst < 300 && errors === 0 ? "PASS" : "FAIL"}: runs list p95 ${worst.toFixed(0)} ms (target < 300), ${errors} errors (target 0)`;
}

function toMarkdown(r: { date: string; machine: string; queue: string; database: string; trials: number; trialOutcomes: Record<string, number>; workers: number; clients: number; thinkMs: number; warmupSeconds: number; warmup: EndpointStats[]; wallSeconds: number; webCpu: CpuTime | null; trialsPerSecond: number; endpoints: EndpointStats[]; verdict: string }): string {
  const warmupErrors = r.warmup.reduce((n, s) => n + s.errors, 0);
  const warmupLine = r.warmup.length
    ? `Warm-up before the workers started (${r.warmupSeconds} s, not in the table): ${r.warmup.map((s) => `${s.label} p95 ${fixed(s.p95, 0)} ms`).join(", ")}; ${warmupErrors} errors.`
    : "No warm-up: the table includes the web server's first requests.";
  const rows = r.endpoints.map((s) => `| ${s.label} | ${s.requests} | ${fixed(s.p50, 0)} | ${fixed(s.p95, 0)} | ${fixed(s.p99, 0)} | ${fixed(s.max, 0)} | ${s.errors}${s.errorSamples.length ? ` (${s.errorSamples.join("; ")})` : ""} |`);
  return [
    `### queue: ${r.queue}, database: ${r.database}`,
    "",
    `${r.date} · ${r.machine}`,
    "",
    `${r.trials} ItemKNN trials (200 users × 300 items, 4,000 interactions; outcomes ${JSON.stringify(r.trialOutcomes)}) on ${r.workers} worker processes, ` +
      `${r.clients} concurrent readers each pausing ${r.thinkMs} ms between requests: **${fixed(r.trialsPerSecond, 2)} trials/s** (${fixed(r.wallSeconds, 1)} s wall).` +
      (r.webCpu ? ` The web server ran ${fixed(r.webCpu.runSeconds, 1)} s on a core and waited ${fixed(r.webCpu.waitSeconds, 1)} s for one (all its threads, /proc schedstat).` : ""),
    "",
    "| endpoint | requests | p50 ms | p95 ms | p99 ms | max ms | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows,
    "",
    warmupLine,
    "",
    `**${r.verdict}**`,
  ].join("\n");
}

/** Replaces (or appends) the section between this key's markers, so each queue's latest numbers sit side by side. */
function writeSection(file: string, key: string, body: string): void {
  const begin = `<!-- bench:load ${key} -->`, end = `<!-- /bench:load ${key} -->`;
  const header = "# Load benchmark (`npm run bench:load`)\n\nWritten by scripts/bench-load.ts; each section is replaced by the next run of the same queue and database.\n";
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : header;
  const block = `${begin}\n${body}\n${end}`;
  const at = text.indexOf(begin);
  const next = at >= 0 ? text.slice(0, at) + block + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, next);
}

interface CpuTime {
  runSeconds: number;
  waitSeconds: number;
}

/**
 * A process's time on a core and runnable but waiting for one, summed over its threads (Linux
 * /proc/<pid>/task/<tid>/schedstat: ns running, ns waiting); null elsewhere. Tells a slow request
 * that waited for the CPU from one that had work to do.
 */
function schedStat(pid: number | undefined): CpuTime | null {
  if (pid === undefined || !fs.existsSync(`/proc/${pid}/task`)) return null;
  let run = 0, wait = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const [r, w] = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
      run += r;
      wait += w;
    } catch {
      // the thread ended meanwhile
    }
  }
  return { runSeconds: run / 1e9, waitSeconds: wait / 1e9 };
}

function schedDelta(before: CpuTime | null, after: CpuTime | null): CpuTime | null {
  return before && after ? { runSeconds: after.runSeconds - before.runSeconds, waitSeconds: after.waitSeconds - before.waitSeconds } : null;
}

function machine(): string {
  const cpus = os.cpus();
  let commit = "";
  try {
    commit = ` · commit ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()}`;
  } catch {
    // not a git checkout
  }
  return `${os.availableParallelism()} cores (nproc), ${cpus[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}${commit}`;
}

async function openDatabase(kind: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-ops-load-"));
    return { url: `file:${path.join(dir, "load.db")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.RECLAB_BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `reclab_ops_load_${process.pid}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function waitUntilReady(baseUrl: string, web: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (web.exitCode !== null) throw new Error(`the web server exited with ${web.exitCode}`);
    const ok = await fetch(`${baseUrl}/api/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the web server was not ready within 120 s");
}

async function waitForExperiments(db: ReturnType<typeof createDb>["db"], ids: string[]): Promise<void> {
  for (;;) {
    const open = await db.experiment.count({ where: { id: { in: ids }, status: { in: ["QUEUED", "RUNNING"] } } });
    if (open === 0) return;
    if (children.slice(1).every((c) => c.exitCode !== null)) throw new Error("every worker exited");
    await new Promise((r) => setTimeout(r, 1000));
  }
}
