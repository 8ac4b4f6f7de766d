import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { importDataset, importFormatSchema } from "../../lib/datasets/import";
import { computeStats } from "../../lib/datasets/stats";
import type { SyntheticProgress } from "../../lib/datasets/synthetic";
import { getDb, getDbHandle, type Db } from "../../lib/db/client";
import { applyMigrations } from "../../lib/db/migrate";
import { AppError } from "../../lib/errors";
import { cancelExperiment } from "../../lib/experiments/experiment-lifecycle";
import { launchExperimentSchema } from "../../lib/experiments/experiment-spec";
import { experimentInclude, toExperimentDetail } from "../../lib/experiments/experiment-views";
import { launchExperiment } from "../../lib/experiments/launch-experiment";
import { metricLabel } from "../../lib/metrics/registry";
import { DbJobQueue } from "../../lib/queue/db-queue";
import type { ExperimentDetail } from "../../lib/server/dto";
import { createSyntheticDataset, createSyntheticSchema } from "../../lib/storage/create-synthetic-dataset";
import { saveDataset } from "../../lib/storage/dataset-repository";
import { formatCount, formatMetric } from "../../lib/util/format";
import { formatTable } from "../bench/table";

const datasetRefSchema = z.union([
  z.object({ id: z.string().min(1).describe("An existing dataset") }).strict(),
  z.object({ synthetic: createSyntheticSchema.shape.options, name: z.string().min(1).default("Synthetic (cli)") }).strict(),
  z
    .object({
      import: z.object({
        format: importFormatSchema,
        files: z.object({ ratings: z.string(), items: z.string().optional(), users: z.string().optional() }).describe("Paths relative to the config file"),
      }),
      name: z.string().min(1),
    })
    .strict(),
]);

/** experiment.json: the POST /api/experiments body, with the dataset given by id, generator or files. */
export const cliExperimentSchema = launchExperimentSchema.omit({ datasetId: true }).extend({ dataset: datasetRefSchema });

const root = process.env.RECLAB_ROOT ?? process.cwd();
const stamp = () => new Date().toISOString().slice(11, 19);

/** `reclab experiment run`: returns the process exit code. */
export async function runExperimentCommand(options: { configPath: string; workers: number }): Promise<number> {
  let config: z.output<typeof cliExperimentSchema>;
  try {
    const text = fs.readFileSync(options.configPath, "utf8");
    config = cliExperimentSchema.parse(JSON.parse(text));
  } catch (error) {
    console.error(`config ${options.configPath}: ${describe(error)}`);
    return 1;
  }
  const report = await applyMigrations(process.env.DATABASE_URL, root);
  const db = getDb();
  console.log(`[${stamp()}] database ${getDbHandle().provider}${report.applied.length ? ` (${report.applied.length} migration(s) applied)` : ""}`);
  const queue = new DbJobQueue(db);
  let experimentId: string;
  try {
    const datasetId = await resolveDataset(db, config.dataset, path.dirname(path.resolve(options.configPath)));
    const { dataset: _ref, ...rest } = config;
    ({ id: experimentId } = await launchExperiment(db, queue, { ...rest, datasetId }));
  } catch (error) {
    console.error(`cannot start the experiment: ${describe(error)}`);
    return 1;
  }
  const workers = Array.from({ length: options.workers }, () => startWorker());
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    let last = "";
    for (;;) {
      const row = await db.experiment.findUniqueOrThrow({ where: { id: experimentId }, include: experimentInclude });
      const e = toExperimentDetail(row);
      const line = progressLine(e);
      if (line !== last) console.log(`[${stamp()}] ${line}`);
      last = line;
      if (!(e.status === "QUEUED" || e.status === "RUNNING")) {
        console.log("");
        console.log(finalReport(e));
        return e.status === "SUCCEEDED" ? 0 : 1;
      }
      if (interrupted) {
        console.log(`[${stamp()}] interrupted: cancelling experiment ${experimentId}`);
        await cancelExperiment(db, queue, experimentId).catch(() => undefined);
        interrupted = false;
      }
      if (options.workers > 0 && workers.every((w) => w.exitCode !== null)) {
        console.error("every worker process exited; see their output above");
        return 1;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await Promise.all(workers.map(stopWorker));
    await db.$disconnect();
  }
}

function startWorker(): ChildProcess {
  return spawn(process.execPath, ["--import", import.meta.resolve("tsx"), path.join(root, "workers", "main.ts")], {
    env: { ...process.env, RECLAB_MIGRATE_ON_START: "false", RECLAB_POLL_MS: process.env.RECLAB_POLL_MS ?? "200" },
    // Worker chatter would drown the progress lines; errors still show.
    stdio: ["ignore", "ignore", "inherit"],
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

async function resolveDataset(db: Db, ref: z.output<typeof datasetRefSchema>, baseDir: string): Promise<string> {
  if ("id" in ref) return ref.id;
  const source = "synthetic" in ref ? "synthetic" : ref.import.format;
  const existing = await db.dataset.findFirst({ where: { name: ref.name, source }, select: { id: true } });
  if (existing) {
    console.log(`[${stamp()}] using dataset "${ref.name}" (${existing.id})`);
    return existing.id;
  }
  if ("synthetic" in ref) {
    console.log(`[${stamp()}] generating "${ref.name}"`);
    let reported = Date.now();
    const report = ({ usersDone, numUsers }: SyntheticProgress) => {
      if (Date.now() - reported < 5000) return;
      reported = Date.now();
      console.log(`[${stamp()}] generating "${ref.name}": users ${formatCount(usersDone)} / ${formatCount(numUsers)}`);
    };
    return (await createSyntheticDataset(db, { name: ref.name, options: ref.synthetic }, {}, report)).id;
  }
  const file = (p?: string) => (p ? path.resolve(baseDir, p) : undefined);
  console.log(`[${stamp()}] importing "${ref.name}" (${ref.import.format})`);
  const { dataset } = await importDataset({ format: ref.import.format, files: { ratings: file(ref.import.files.ratings)!, items: file(ref.import.files.items), users: file(ref.import.files.users) } });
  const { id } = await saveDataset(db, { name: ref.name, source, dataset, stats: computeStats(dataset), preprocessing: { files: ref.import.files } });
  return id;
}

function progressLine(e: ExperimentDetail): string {
  const best = e.best ? ` · best ${e.best.split} ${metricLabel(e.selectionMetric)} ${formatMetric(e.best.value)} (${e.best.name})` : "";
  return `${e.status.toLowerCase()} · ${e.progressText} · ${e.runningRuns} running${e.failedRuns ? ` · ${e.failedRuns} failed` : ""}${best}`;
}

/** The leaderboard (search), mean ± std (cv) or deltas (ablation) as a text table. */
export function finalReport(e: ExperimentDetail): string {
  const head = `${e.name}: ${e.status.toLowerCase()}${e.error ? ` — ${e.error}` : ""}`;
  const metric = e.selectionMetric;
  const param = (v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(4)).toString() : String(v));
  if (e.kind === "grid" || e.kind === "random") {
    const ranked = [...e.runs].sort((a, b) => (b.validation?.[metric] ?? -Infinity) - (a.validation?.[metric] ?? -Infinity));
    const table = formatTable(
      ["rank", "trial", ...e.varying, `${metricLabel(metric)} (validation)`, "status"],
      ranked.map((r, i) => [i + 1, `#${r.trialIndex + 1}`, ...e.varying.map((p) => param(r.params[p])), formatMetric(r.validation?.[metric]), r.status.toLowerCase()]),
    );
    const final = e.finalRun;
    const test = final?.test
      ? `selected trial #${final.trialIndex + 1}, evaluated on test once: ${Object.entries(final.test).filter(([k]) => k.endsWith("@10") || !k.includes("@")).map(([k, v]) => `${metricLabel(k)} ${formatMetric(v)}`).join(", ")}`
      : "no test evaluation";
    return [head, "", table, "", test, final ? `final run: ${final.id}` : ""].join("\n");
  }
  if (e.kind === "cv" && e.result?.kind === "cv") {
    const rows = Object.entries(e.result.metrics).map(([k, a]) => [metricLabel(k), `${formatMetric(a.mean)} ± ${formatMetric(a.std)}`, ...a.folds.map(formatMetric)]);
    return [head, "", formatTable(["metric (test)", "mean ± std", ...e.result.foldRunIds.map((_, i) => `fold ${i + 1}`)], rows)].join("\n");
  }
  if (e.kind === "ablation" && e.result?.kind === "ablation") {
    const rows = e.result.variants.map((v) => {
      const d = v.deltas[metric];
      return [v.name, formatMetric(v.metrics[metric]), d ? `${d.delta >= 0 ? "+" : ""}${d.delta.toFixed(4)}` : "", d?.low != null ? `[${d.low.toFixed(4)}, ${d.high!.toFixed(4)}]` : "", d?.p != null ? d.p.toPrecision(2) : ""];
    });
    return [head, "", formatTable(["variant", `${metricLabel(metric)} (test)`, "delta", "95% CI", "p (Holm)"], rows)].join("\n");
  }
  return head;
}

function describe(error: unknown): string {
  if (error instanceof z.ZodError) return error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ");
  if (error instanceof AppError || error instanceof Error) return error.message;
  return String(error);
}
