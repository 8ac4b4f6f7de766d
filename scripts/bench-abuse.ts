// Abuse benchmark: the real server (scripts/start.ts on a fresh SQLite file, a free port) takes
// huge or hostile requests one scenario at a time while a client polls /api/health every 50 ms.
// Prints each attack's status and message and the health latency during it; writes JSON.
//   npm run bench:abuse -- [--only big-csv,oversized-upload] [--rows 10000000] [--out bench-results/abuse.json]
// Add a scenario by appending to SCENARIOS: a name, the server env it needs, and `run`.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { freePort } from "../lib/util/free-port";
import { fixed, formatTable } from "./bench/table";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    rows: { type: "string", default: "10000000" },
    out: { type: "string" },
  },
});

const MiB = 1024 * 1024;
const HEALTH_INTERVAL_MS = 50;

/** What a scenario's request got back. */
interface Answer {
  status: number;
  message: string;
  /** Request body size, when it is known. */
  bytes?: number;
}

interface ScenarioContext {
  baseUrl: string;
  /** A scratch folder for generated files, removed at the end. */
  workDir: string;
}

interface Scenario {
  name: string;
  description: string;
  /** Server environment on top of the defaults; the server is restarted when it changes. */
  env?: Record<string, string>;
  /** The status a safe server answers with. */
  expectStatus: number;
  /** Writes the files `run` sends (before health polling starts, so it does not skew it). */
  prepare?(ctx: ScenarioContext): Promise<void>;
  run(ctx: ScenarioContext): Promise<Answer>;
}

const CSV_OPTIONS = JSON.stringify({ csv: { delimiter: ",", hasHeader: true, columns: { user: "user", item: "item", rating: "rating" } } });

const SCENARIOS: Scenario[] = [
  {
    name: "big-csv",
    description: `a ${Number(values.rows) / 1e6}M-row CSV (~15 bytes a row) in one request, limit raised to 400 MB`,
    env: { RECLAB_UPLOAD_LIMIT_MB: "400" },
    expectStatus: 201,
    async prepare(ctx) {
      await interactionsCsv(path.join(ctx.workDir, "big.csv"), { rows: Number(values.rows) });
    },
    run: (ctx) => uploadFile(ctx, { name: "bench big csv", format: "csv", options: CSV_OPTIONS }, { field: "ratings", path: path.join(ctx.workDir, "big.csv") }),
  },
  {
    name: "oversized-upload",
    description: "a 210 MB CSV at the default 200 MB limit",
    expectStatus: 413,
    async prepare(ctx) {
      await interactionsCsv(path.join(ctx.workDir, "oversized.csv"), { bytes: 210 * 1e6 });
    },
    run: (ctx) => uploadFile(ctx, { name: "bench oversized", format: "csv", options: CSV_OPTIONS }, { field: "ratings", path: path.join(ctx.workDir, "oversized.csv") }),
  },
  {
    name: "blank-lines-bomb",
    description: "a ~5 MB gzip that expands to 5 GiB of empty lines",
    expectStatus: 413,
    async prepare(ctx) {
      const member = gzipSync(Buffer.alloc(64 * MiB, 0x0a), { level: 9 });
      fs.writeFileSync(path.join(ctx.workDir, "bomb.csv.gz"), Buffer.concat(Array.from({ length: 80 }, () => member)));
    },
    run: (ctx) => uploadFile(ctx, { name: "bench bomb", format: "csv", options: CSV_OPTIONS }, { field: "ratings", path: path.join(ctx.workDir, "bomb.csv.gz") }),
  },
  {
    name: "oversized-synthetic",
    description: "synthetic generation of 100,000 users × 20,000 items × 1e9 interactions each",
    expectStatus: 400,
    run: (ctx) => postJson(ctx, "/api/datasets/synthetic", { name: "bench oversized", options: { numUsers: 100_000, numItems: 20_000, interactionsPerUser: 1e9, minInteractionsPerUser: 1e9 } }),
  },
  {
    name: "synthetic-job",
    description: "an allowed 1,000 × 2,000 × 100 synthetic dataset (a worker job), timed until the dataset exists",
    expectStatus: 202,
    async run(ctx) {
      const answer = await postJson(ctx, "/api/datasets/synthetic", { name: "bench synthetic", options: { numUsers: 1000, numItems: 2000, interactionsPerUser: 100 } });
      const jobId = (answer.body as { jobId?: string } | undefined)?.jobId;
      if (answer.status !== 202 || !jobId) return answer;
      for (;;) {
        const job = (await (await fetch(`${ctx.baseUrl}/api/jobs/${jobId}`)).json()) as { job: { status: string; error?: string | null } };
        if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.job.status)) return { status: answer.status, message: `job ${job.job.status}${job.job.error ? `: ${job.job.error}` : ""}` };
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
  },
];

/** POSTs JSON and returns the status and the error message (or "ok"). */
async function postJson(ctx: ScenarioContext, urlPath: string, body: unknown): Promise<Answer & { body?: unknown }> {
  const text = JSON.stringify(body);
  const response = await fetch(`${ctx.baseUrl}${urlPath}`, { method: "POST", headers: { "content-type": "application/json" }, body: text });
  const json = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return { status: response.status, message: json?.error?.message ?? "ok", bytes: text.length, body: json };
}

interface HealthSummary {
  count: number;
  failures: number;
  p50: number;
  p99: number;
  max: number;
  /** Seconds into the scenario when the slowest answer was asked for. */
  maxAt: number;
}

interface ScenarioResult {
  name: string;
  description: string;
  env: Record<string, string>;
  expectStatus: number;
  status: number;
  message: string;
  bytes?: number;
  ok: boolean;
  seconds: number;
  health: HealthSummary;
}

/** Writes user,item,rating rows (deterministic) until `rows` rows or `bytes` bytes. */
async function interactionsCsv(file: string, target: { rows?: number; bytes?: number }): Promise<string> {
  const out = fs.createWriteStream(file);
  const maxRows = target.rows ?? Infinity;
  const maxBytes = target.bytes ?? Infinity;
  let state = 12345;
  let rows = 0;
  let bytes = 0;
  async function* chunks() {
    const header = "user,item,rating\n";
    bytes += header.length;
    yield header;
    while (rows < maxRows && bytes < maxBytes) {
      const lines: string[] = [];
      for (let i = 0; i < 100_000 && rows < maxRows && bytes < maxBytes; i++, rows++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        const line = `${state % 1_000_000},${(state >>> 8) % 50_000},${1 + (state % 5)}`;
        lines.push(line);
        bytes += line.length + 1;
      }
      yield `${lines.join("\n")}\n`;
    }
  }
  await pipeline(chunks, out);
  return file;
}

/** Streams a multipart upload from disk with node:http, so an early answer (413) is still read. */
function uploadFile(ctx: ScenarioContext, fields: Record<string, string>, file: { field: string; path: string }): Promise<Answer> {
  const boundary = `----reclab-bench-${randomUUID()}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join("") +
      `--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${path.basename(file.path)}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + fs.statSync(file.path).size + tail.length;
  return new Promise((resolve) => {
    let answered = false;
    const request = http.request(`${ctx.baseUrl}/api/datasets`, {
      method: "POST",
      agent: false,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": length },
    });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (d: string) => (text += d));
      response.on("end", () => {
        answered = true;
        resolve({ status: response.statusCode ?? 0, message: describeBody(text), bytes: length });
        request.destroy(); // an early answer (413): stop sending the rest
      });
    });
    request.on("error", (error) => {
      // The server may close the connection after answering early; only a missing answer counts.
      setTimeout(() => {
        if (!answered) resolve({ status: 0, message: `no answer: ${error.message}`, bytes: length });
      }, 1000);
    });
    request.write(head);
    const body = fs.createReadStream(file.path);
    body.on("end", () => request.end(tail));
    body.on("error", () => request.destroy());
    body.pipe(request, { end: false });
  });
}

function describeBody(text: string): string {
  try {
    const body = JSON.parse(text) as { id?: string; error?: { message: string }; report?: { rowsKept: number } };
    if (body.error) return body.error.message;
    if (body.id) return `created ${body.id}${body.report ? ` (${body.report.rowsKept} interactions)` : ""}`;
  } catch {
    // not JSON
  }
  return text.slice(0, 200);
}

/** Polls /api/health every 50 ms until stopped; latencies in ms (failures count as their time). */
function pollHealth(baseUrl: string): { stop: () => Promise<HealthSummary> } {
  const latencies: number[] = [];
  const begun = performance.now();
  let slowest = { ms: -1, at: 0 };
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(30_000) });
        await response.text();
        if (!response.ok) failures++;
      } catch {
        failures++;
      }
      const elapsed = performance.now() - started;
      latencies.push(elapsed);
      if (elapsed > slowest.ms) slowest = { ms: elapsed, at: (started - begun) / 1000 };
      await new Promise((r) => setTimeout(r, Math.max(0, HEALTH_INTERVAL_MS - elapsed)));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = Float64Array.from(latencies).sort();
      const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
      return { count: sorted.length, failures, p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN, maxAt: slowest.at };
    },
  };
}


interface Server {
  baseUrl: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** `npm start` (scripts/start.ts: migrations, build if needed, next start + worker) in its own process group. */
async function startServer(databaseFile: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, ...env, DATABASE_URL: `file:${databaseFile}`, PORT: String(port), HOST: "127.0.0.1", RECLAB_SEED_DEMO: "0", RECLAB_SINGLE_USER: "1" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("the server did not answer /api/health within 10 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    baseUrl,
    env,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        process.kill(-child.pid!, "SIGTERM");
        setTimeout(() => {
          if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
        }, 10_000).unref();
      }),
  };
}

const sameEnv = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

const only = values.only?.split(",").map((s) => s.trim());
const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.name));
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-bench-abuse-"));
const results: ScenarioResult[] = [];
let server: Server | null = null;
try {
  for (const scenario of scenarios) {
    const env = scenario.env ?? {};
    if (!server || !sameEnv(server.env, env)) {
      await server?.stop();
      server = await startServer(path.join(workDir, "bench.db"), env);
    }
    console.log(`[bench] ${scenario.name}: ${scenario.description}`);
    await scenario.prepare?.({ baseUrl: server.baseUrl, workDir });
    const started = performance.now();
    const health = pollHealth(server.baseUrl);
    const answer = await scenario.run({ baseUrl: server.baseUrl, workDir });
    const seconds = (performance.now() - started) / 1000;
    const summary = await health.stop();
    results.push({ name: scenario.name, description: scenario.description, env, expectStatus: scenario.expectStatus, ...answer, ok: answer.status === scenario.expectStatus, seconds, health: summary });
    console.log(`[bench] ${scenario.name}: ${answer.status} ${answer.message} (${seconds.toFixed(1)} s)`);
  }
} finally {
  await server?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
}

console.log(
  `\n${formatTable(
    ["scenario", "MB sent", "status", "expected", "seconds", "health n", "p50 ms", "p99 ms", "max ms", "max at s", "failed"],
    results.map((r) => [r.name, r.bytes === undefined ? "-" : fixed(r.bytes / 1e6, 1), r.status, r.expectStatus, fixed(r.seconds, 1), r.health.count, fixed(r.health.p50, 1), fixed(r.health.p99, 1), fixed(r.health.max, 1), fixed(r.health.maxAt, 1), r.health.failures]),
  )}`,
);
for (const r of results) console.log(`${r.name}: ${r.message}`);
const out = values.out ?? path.join("bench-results", `abuse-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, node: process.version, scenarios: results }, null, 2));
console.log(`\nwrote ${out}`);
if (results.some((r) => !r.ok)) process.exitCode = 1;
