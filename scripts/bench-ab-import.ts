// Import speed of an A/B log: writes a seeded synthetic log (1,000,000 rows by default) to a
// temp dir, reads it with readAbLogFile (the file path) and readAbLog (an async line iterable),
// then runs analyzeAbTest on the result. Prints rows/s, peak RSS and the verdict. Usage:
//   npm run bench:ab-import -- [--rows 1000000] [--seed 1] [--lift 0.05] [--iso] [--keep path/to/log.csv]
// --lift is the treatment's true relative CTR lift; --iso writes ISO-8601 timestamps instead of
// Unix seconds; --keep writes the log there and keeps it (the fixture tests/fixtures/ab/ab-log-small.csv
// is `--rows 2000 --seed 8 --lift 0.5 --iso --keep tests/fixtures/ab/ab-log-small.csv`).
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { analyzeAbTest } from "../lib/stats/ab-tests";
import { readAbLog, readAbLogFile } from "../lib/simulation/ab-log";
import { generateAbLog } from "./bench/ab-log-generator";
import { processPeakRssMb } from "./bench/memory";
import { formatTable } from "./bench/table";

async function writeLog(file: string, rows: number, seed: number, lift: number, iso: boolean): Promise<void> {
  const out = createWriteStream(file);
  let buffer: string[] = [];
  for (const line of generateAbLog({ rows, seed, ctr: [0.1, 0.1 * (1 + lift)], armNames: ["control", "treatment"], isoTimestamps: iso })) {
    buffer.push(line);
    if (buffer.length === 10_000) {
      if (!out.write(buffer.join("\n") + "\n")) await once(out, "drain");
      buffer = [];
    }
  }
  out.end(buffer.length ? buffer.join("\n") + "\n" : "");
  await once(out, "finish");
}

/** User + system CPU seconds since `start` (the machine is shared, so wall time alone misleads). */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "1000000" },
      seed: { type: "string", default: "1" },
      lift: { type: "string", default: "0.05" },
      iso: { type: "boolean", default: false },
      keep: { type: "string" },
    },
  });
  const rows = Number(values.rows);
  const dir = values.keep ? null : mkdtempSync(path.join(os.tmpdir(), "ab-import-"));
  const file = values.keep ?? path.join(dir as string, "ab-log.csv");
  try {
    const t0 = performance.now();
    await writeLog(file, rows, Number(values.seed), Number(values.lift), values.iso);
    const writeSeconds = (performance.now() - t0) / 1000;
    const mb = statSync(file).size / 2 ** 20;
    const rssBefore = processPeakRssMb();

    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    const fromFile = await readAbLogFile(file);
    const fileSeconds = (performance.now() - t1) / 1000;
    const fileCpu = cpuSeconds(cpu1);
    const rssAfterFile = processPeakRssMb();

    const t2 = performance.now();
    const cpu2 = process.cpuUsage();
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    const fromLines = await readAbLog(lines);
    const linesSeconds = (performance.now() - t2) / 1000;
    const linesCpu = cpuSeconds(cpu2);

    const t3 = performance.now();
    const analysis = analyzeAbTest(fromFile.arms, { expectedShares: fromFile.arms.map(() => 1 / fromFile.arms.length), sequential: true });
    const analyzeSeconds = (performance.now() - t3) / 1000;

    console.log(`A/B log: ${rows.toLocaleString("en-US")} rows, ${mb.toFixed(1)} MB, written in ${writeSeconds.toFixed(1)} s; Node ${process.version}, ${os.cpus().length} cores`);
    const users = fromFile.arms.map((a) => `${a.label} ${a.impressions.length}`).join(", ");
    console.log(`users per arm: ${users}; the two readers agree: ${fromLines.rows === fromFile.rows && fromLines.arms[0].impressions.length === fromFile.arms[0].impressions.length}`);
    console.log(
      formatTable(
        ["step", "wall s", "CPU s", "rows/s (wall)"],
        [
          ["readAbLogFile (path)", fileSeconds.toFixed(2), fileCpu.toFixed(2), Math.round(rows / fileSeconds).toLocaleString("en-US")],
          ["readAbLog (readline)", linesSeconds.toFixed(2), linesCpu.toFixed(2), Math.round(rows / linesSeconds).toLocaleString("en-US")],
          ["analyzeAbTest", analyzeSeconds.toFixed(3), "-", "-"],
        ],
      ),
    );
    console.log(`peak RSS: ${rssBefore.toFixed(0)} MB after writing, ${rssAfterFile.toFixed(0)} MB after readAbLogFile, ${processPeakRssMb().toFixed(0)} MB at the end`);
    for (const sentence of analysis.verdict) console.log(`verdict: ${sentence}`);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
