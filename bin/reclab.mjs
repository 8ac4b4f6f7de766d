#!/usr/bin/env node
// `npx reclab ...`: runs the TypeScript CLI (scripts/cli/main.ts) through tsx, from this checkout.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsx = import.meta.resolve("tsx");
const child = spawn(process.execPath, ["--import", tsx, path.join(root, "scripts", "cli", "main.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, RECLAB_ROOT: root },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
