import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchColdStart } from "./cold-start";
import { benchScale } from "./scale";

/**
 * `--protocol cold-start | scale`: benchmarks with their own arguments (see the files). Returns
 * false when no --protocol was given, so scripts/bench.ts runs its ranking protocol as before.
 */
export async function runProtocol(argv: string[]): Promise<boolean> {
  const at = argv.indexOf("--protocol");
  if (at < 0) return false;
  const name = argv[at + 1];
  const runners: Record<string, (argv: string[]) => Promise<Record<string, unknown>>> = { "cold-start": benchColdStart, scale: benchScale };
  const run = runners[name];
  if (!run) throw new Error(`unknown --protocol "${name}"; use ${Object.keys(runners).join(" or ")}`);
  const { out, ...report } = await run(argv);
  if (typeof out === "string") {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, ...report }, null, 2));
    console.log(`wrote ${out}`);
  }
  return true;
}
