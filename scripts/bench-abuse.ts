// Abuse benchmark: the real server (scripts/start.ts on a fresh SQLite file, a free port) takes
// huge or hostile requests one scenario at a time while a client polls /api/health every 50 ms.
// Prints each attack's status and message and the health latency during it; writes JSON.
//   npm run bench:abuse -- [--only big-csv,oversized-upload] [--rows 10000000] [--out bench-results/abuse.json]
// Add a scenario by appending to SCENARIOS: a name, the server env it needs, and `run`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { pollHealth, startServer, uploadFile as uploadTo, type HealthSummary, type LiveServer as Server } from "./bench/live-server";
import { fixed, formatTable } from "./bench/table";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    rows: { type: "string", default: "10000000" },
    out: { type: "string" },
  },
});

const MiB = 1024 * 1024;

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

/** The scenario's upload through the shared helper, described in a line. */
async function uploadFile(ctx: ScenarioContext, fields: Record<string, string>, file: { field: string; path: string }): Promise<Answer> {
  const answer = await uploadTo(ctx.baseUrl, "/api/datasets", fields, file);
  return { status: answer.status, message: describeBody(answer.text), bytes: answer.bytes };
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
      server = await startServer(`file:${path.join(workDir, "bench.db")}`, env);
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
