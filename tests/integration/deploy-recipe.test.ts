import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { PG_ADMIN_URL, PROVIDERS } from "./support/databases";

// docs/deploy.md's plain-process recipe, run as written: migrate, one web server, two workers,
// all separate processes against a fresh PostgreSQL database; then a job goes from the API
// through a worker and back. Needs a production build of this checkout (npx next build), so it
// runs only when asked: RECLAB_TEST_DEPLOY=1 (a build left over from an earlier e2e run may be
// of other code, and starting a production server costs `npm test` most of a minute).
const PORT = 3421;
const BASE = `http://127.0.0.1:${PORT}`;
const COMMANDS = { migrate: "npm run db:migrate", web: "HOST=0.0.0.0 PORT=3000 npm run web", worker: "RECLAB_MIGRATE_ON_START=false npm run worker" };
const requested = process.env.RECLAB_TEST_DEPLOY === "1";
const built = fs.existsSync(".next/BUILD_ID");
if (!requested) console.warn("[tests] deploy recipe skipped: set RECLAB_TEST_DEPLOY=1 (after npx next build) to run it");
else if (!built) throw new Error("RECLAB_TEST_DEPLOY=1 but there is no production build: run npx next build first");

/** The fenced recipe between the <!-- recipe --> markers of docs/deploy.md. */
function recipe(): string {
  const text = fs.readFileSync("docs/deploy.md", "utf8");
  return text.slice(text.indexOf("<!-- recipe -->"), text.indexOf("<!-- /recipe -->"));
}

it("documents the commands the deployment recipe test runs", () => {
  const text = recipe();
  for (const command of Object.values(COMMANDS)) expect(text).toContain(command);
});

describe.skipIf(!PROVIDERS.includes("postgresql") || !requested)("the plain-process deployment recipe", () => {
  const name = `reclab_ops_deploy_${process.pid}`;
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  // Without vitest's NODE_ENV=test (npm run web sets production itself) and without REDIS_URL (the database queue).
  const { NODE_ENV: _nodeEnv, REDIS_URL: _redis, ...inherited } = process.env;
  const env = { ...inherited, DATABASE_URL: url.toString(), LOG_LEVEL: "info", NEXT_TELEMETRY_DISABLED: "1" } as unknown as NodeJS.ProcessEnv;
  const processes: ChildProcess[] = [];
  const logs = new Map<ChildProcess, string>();

  /** `npm run <script>` in its own process group, so stopping it stops npm, tsx and node. */
  const start = (script: string, extra: Record<string, string>) => {
    const child = spawn("npm", ["run", "--silent", script], { env: { ...env, ...extra }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    logs.set(child, "");
    for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk: Buffer) => logs.set(child, logs.get(child)! + chunk.toString()));
    processes.push(child);
    return child;
  };

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  });

  afterAll(async () => {
    for (const child of processes) if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
    await Promise.all(processes.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it("migrates, serves, and two workers take a job from the API to the end", async () => {
    const migrate = spawnSync("npm", ["run", "--silent", "db:migrate"], { env, encoding: "utf8" });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/postgresql: \d+ applied/);

    // The recipe's HOST/PORT, bound to loopback here (single-user mode, no account needed).
    const web = start("web", { HOST: "127.0.0.1", PORT: String(PORT) });
    const workers = [start("worker", { RECLAB_MIGRATE_ON_START: "false", RECLAB_POLL_MS: "200" }), start("worker", { RECLAB_MIGRATE_ON_START: "false", RECLAB_POLL_MS: "200" })];

    const deadline = Date.now() + 90_000;
    let ready: { ok: boolean; checks: Record<string, { ok: boolean }> } | null = null;
    while (Date.now() < deadline && !ready?.ok) {
      expect(web.exitCode, logs.get(web)).toBeNull();
      ready = await fetch(`${BASE}/api/ready`).then((r) => r.json(), () => null);
      if (!ready?.ok) await new Promise((r) => setTimeout(r, 500));
    }
    expect(ready).toMatchObject({ ok: true, checks: { database: { ok: true }, migrations: { ok: true } } });

    // A synthetic dataset (a generate job), then a training run (a train job) on it.
    const generated = await fetch(`${BASE}/api/datasets/synthetic`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ name: "deploy recipe", options: { numUsers: 60, numItems: 80, interactionsPerUser: 12, seed: 3 } }),
    });
    expect(generated.status, await generated.clone().text()).toBe(202);
    const { jobId } = (await generated.json()) as { jobId: string };
    const job = await poll(`/api/jobs/${jobId}`, (b: { job: { status: string; result?: { datasetId?: string } } }) => b.job.status !== "QUEUED" && b.job.status !== "RUNNING");
    expect(job.job.status).toBe("SUCCEEDED");
    const datasetId = job.job.result?.datasetId;
    expect(datasetId).toEqual(expect.any(String));

    const launched = await fetch(`${BASE}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ datasetId, config: { modelId: "pop", ks: [10] } }),
    });
    expect(launched.status, await launched.clone().text()).toBe(201);
    const { id: runId } = (await launched.json()) as { id: string };
    const run = await poll(`/api/runs/${runId}`, (b: { run: { status: string } }) => b.run.status !== "QUEUED" && b.run.status !== "RUNNING");
    expect(run.run).toMatchObject({ status: "SUCCEEDED" });

    // Both workers are up and logging structured lines; one of them ran the jobs.
    for (const worker of workers) {
      expect(worker.exitCode).toBeNull();
      const lines = logs.get(worker)!.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.some((l) => l.msg === "ready" && typeof l.workerId === "string")).toBe(true);
    }
    const finished = workers.flatMap((w) => logs.get(w)!.split("\n").filter((l) => l.includes('"msg":"finished"')).map((l) => JSON.parse(l) as Record<string, unknown>));
    expect(finished.map((l) => l.jobId)).toContain(jobId);
    expect(finished.find((l) => l.runId === runId)).toMatchObject({ job: "train-run", level: "info" });
  });
});

async function poll<T>(path: string, done: (body: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = (await (await fetch(BASE + path)).json()) as T;
    if (done(body) || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 500));
  }
}
