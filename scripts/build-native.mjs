// `npm ci` / `npm install` step (the root package's "install" script): builds the optional native
// linear-algebra kernel (native/linalg → native/linalg/build/Release/reclab_linalg.node) with
// node-gyp. It never fails the install: without the addon, lib/models/linalg uses its
// WebAssembly kernel. RECLAB_SKIP_NATIVE=1 skips the build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = path.join(root, "native", "linalg");

function nodeGyp() {
  // npm exports its bundled node-gyp to lifecycle scripts; otherwise look beside this npm/node.
  const candidates = [
    process.env.npm_config_node_gyp,
    path.resolve(path.dirname(process.execPath), "../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"),
  ];
  return candidates.find((p) => p && existsSync(p));
}

function main() {
  if (process.env.RECLAB_SKIP_NATIVE === "1") return console.log("reclab: native linalg kernel skipped (RECLAB_SKIP_NATIVE=1)");
  if (!existsSync(path.join(dir, "binding.gyp"))) return;
  const gyp = nodeGyp();
  if (!gyp) return console.log("reclab: node-gyp not found; the linalg kernels will use WebAssembly");
  const args = [gyp, "rebuild", `--directory=${dir}`];
  // Headers of the running Node when they are installed beside it (Debian's nodejs-dev, the
  // official images), so the build needs no download and works offline.
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  if (!process.env.npm_config_nodedir && existsSync(path.join(prefix, "include", "node", "common.gypi"))) args.push(`--nodedir=${prefix}`);
  const run = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 300_000 });
  if (run.status === 0) return console.log("reclab: built the native linalg kernel (native/linalg/build/Release/reclab_linalg.node)");
  const tail = `${run.stdout ?? ""}${run.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
  console.log(`reclab: the native linalg kernel did not build; the linalg kernels will use WebAssembly.\n${tail || run.error}`);
}

main();
