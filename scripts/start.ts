// `npm start`: applies migrations, seeds a demo dataset on an empty database, builds the web app
// when sources changed since the last build, then runs the web server and one worker.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { getDb } from "../lib/db/client";
import { ensureAdminFromEnv } from "../lib/auth/accounts";
import { applyMigrations } from "../lib/db/migrate";
import { isSingleUserMode, readServerEnv } from "../lib/env";
import { createSyntheticDataset } from "../lib/storage/create-synthetic-dataset";

const root = process.cwd();
const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";

const report = await applyMigrations();
console.log(`[start] database ${report.provider}: ${report.applied.length} migration(s) applied`);

const db = getDb();
const serverEnv = readServerEnv({ ...process.env, HOST: host });
if (await ensureAdminFromEnv(db, serverEnv)) console.log(`[start] created admin ${serverEnv.ADMIN_EMAIL}`);
if ((await db.dataset.count()) === 0 && process.env.RECLAB_SEED_DEMO !== "0") {
  await createSyntheticDataset(db, { name: "Synthetic demo" });
  console.log("[start] seeded the 'Synthetic demo' dataset");
}
await db.$disconnect();

if (needsBuild()) {
  console.log("[start] building the web app (next build)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const env = { ...process.env, HOST: host, NEXT_TELEMETRY_DISABLED: "1", RECLAB_MIGRATE_ON_START: "false" };
// Node itself with tsx as a loader, not `npx tsx`: a signal sent to the child then reaches the
// process that serves or works (through npx it could be lost, leaving an orphan web server on the port).
const runTs = (file: string, childEnv: NodeJS.ProcessEnv) => spawn(process.execPath, ["--import", "tsx", file], { stdio: "inherit", env: childEnv });
const children: ChildProcess[] = [runTs("scripts/web-server.ts", { ...env, PORT: port, NODE_ENV: "production" }), runTs("workers/main.ts", env)];
console.log(`[start] RecLab on http://${host}:${port} with one worker (add more with: npm run worker)`);
console.log(
  isSingleUserMode(serverEnv)
    ? "[start] single-user mode: no sign-in on this loopback address (RECLAB_SINGLE_USER=0 for accounts)"
    : "[start] accounts mode: sign in (first run: create the admin at /setup, or set ADMIN_EMAIL/ADMIN_PASSWORD)",
);

let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 3000).unref();
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(0));
for (const child of children) child.on("exit", (code) => stop(code ?? 1));

/** True when there is no build, or a source file (or the Next.js config) is newer than it. */
function needsBuild(): boolean {
  if (process.env.RECLAB_FORCE_BUILD === "1") return true;
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  const newer = (dir: string): boolean =>
    fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name !== "generated" && newer(full);
      return fs.statSync(full).mtimeMs > builtAt;
    });
  const config = path.join(root, "next.config.mjs");
  const configChanged = fs.existsSync(config) && fs.statSync(config).mtimeMs > builtAt;
  return configChanged || ["app", "lib", "public"].some((dir) => fs.existsSync(path.join(root, dir)) && newer(path.join(root, dir)));
}
