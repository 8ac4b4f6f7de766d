// Size benchmark (issue 13): a MovieLens-20M-sized synthetic file through the real product path.
//   npm run bench:scale                                   # 138,000 users × 27,000 items × 20M interactions
//   npm run bench:scale -- --users 5000 --items 2000 --interactions 300000 --no-doc   # quick check
//   options: --models pop,item-knn,bpr,als,ease  --bpr-epochs 10  --memory-limit-gb 20  --heap-mb 16384
//            --no-numpy  --numpy-dtype float32|float64  --openblas-coretype Haswell|none
//            --numpy-inverse scipy-inplace|numpy  --database-url URL  --out FILE
// 1. generates the synthetic dataset (movielens-20m preset shape) and streams it to a temp CSV;
// 2. starts the real server (scripts/start.ts: web + one worker, SQLite file unless --database-url)
//    and uploads the CSV through POST /api/datasets (streamed) while /api/health is polled every 250 ms;
// 3. times the statistics API and page, then launches each model as a run through POST /api/runs
//    (the worker trains and evaluates it on every test user) one after the other, with the memory
//    estimate printed before each (the worker refuses runs above RECLAB_MAX_MODEL_MEMORY_GB);
// 4. times the comparison API and page, stops the server, and times numpy's EASE fit
//    (refs/ref_ranking.py's formula) on the same training interactions;
// Peak RSS is each process's VmHWM (reset per phase with clear_refs), sampled every 250 ms.
// Results go to bench-results/scale-<date>.json after every phase, and (unless --no-doc) to a
// dated section of docs/benchmarks.md, so an interrupted run keeps what finished.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { buildCsr } from "../lib/datasets/csr";
import { splitDataset } from "../lib/datasets/splits";
import { generateSynthetic, presetOptions, SYNTHETIC_PRESETS } from "../lib/datasets/synthetic";
import type { Csr } from "../lib/datasets/types";
import { estimateModelRunBytes } from "../lib/experiments/memory-check";
import { resolveRunConfig } from "../lib/experiments/run-config";
import { formatBytes } from "../lib/models/memory";
import { getModelDefinition } from "../lib/models/registry";
import { upsertSection } from "./bench/doc-section";
import { pollHealth, startServer, uploadFile, type HealthSummary, type LiveServer } from "./bench/live-server";
import { runNumpyEase, type NumpyResult } from "./bench/numpy-ease";
import { describePeaks, ProcessTreeMemory, type ProcessPeak } from "./bench/process-memory";
import { INTERACTIONS_CSV_OPTIONS, writeInteractionsCsv } from "./bench/synthetic-csv";
import { fixed, formatTable } from "./bench/table";

const preset = SYNTHETIC_PRESETS["movielens-20m"];
const MODEL_PARAMS: Record<string, (a: Args) => Record<string, unknown>> = {
  pop: () => ({}),
  "item-knn": () => ({}),
  bpr: (a) => ({ epochs: a.bprEpochs }),
  als: () => ({}),
  ease: () => ({ solver: "primal", precision: "float32", lambdaSearch: "off" }),
};
const EASE_LAMBDA = 250; // EASE's default λ: numpy gets the same

const argsSchema = z.object({
  users: z.coerce.number().int().min(10).default(preset.numUsers),
  items: z.coerce.number().int().min(10).default(preset.numItems),
  interactions: z.coerce.number().int().min(100).default(20_000_000),
  models: z
    .string()
    .default("pop,item-knn,bpr,als,ease")
    .transform((s) => s.split(",").map((m) => m.trim()).filter(Boolean))
    .pipe(z.array(z.enum(Object.keys(MODEL_PARAMS) as [string, ...string[]])).min(1)),
  bprEpochs: z.coerce.number().int().min(1).default(10),
  memoryLimitGb: z.coerce.number().positive().default(20),
  /** V8 heap limit of the server's processes (NODE_OPTIONS=--max-old-space-size); unset: Node's default (~4 GB here). */
  heapMb: z.coerce.number().int().positive().optional(),
  numpy: z.boolean().default(true),
  numpyDtype: z.enum(["float32", "float64"]).default("float32"),
  openblasCoretype: z.string().default("Haswell"),
  /** scipy-inplace holds one n × n matrix; np.linalg.inv's four (+ the sparse Gram) were OOM-killed at 27,000 items. */
  numpyInverse: z.enum(["numpy", "scipy-inplace"]).default("scipy-inplace"),
  databaseUrl: z.string().optional(),
  doc: z.boolean().default(true),
  out: z.string().optional(),
});
type Args = z.infer<typeof argsSchema>;

function readArgs(): Args {
  const { values } = parseArgs({
    options: {
      users: { type: "string" },
      items: { type: "string" },
      interactions: { type: "string" },
      models: { type: "string" },
      "bpr-epochs": { type: "string" },
      "memory-limit-gb": { type: "string" },
      "heap-mb": { type: "string" },
      "no-numpy": { type: "boolean" },
      "numpy-dtype": { type: "string" },
      "openblas-coretype": { type: "string" },
      "numpy-inverse": { type: "string" },
      "database-url": { type: "string" },
      "no-doc": { type: "boolean" },
      out: { type: "string" },
    },
  });
  return argsSchema.parse({
    users: values.users,
    items: values.items,
    interactions: values.interactions,
    models: values.models,
    bprEpochs: values["bpr-epochs"],
    memoryLimitGb: values["memory-limit-gb"],
    heapMb: values["heap-mb"],
    numpy: !values["no-numpy"],
    numpyDtype: values["numpy-dtype"],
    openblasCoretype: values["openblas-coretype"],
    numpyInverse: values["numpy-inverse"],
    databaseUrl: values["database-url"],
    doc: !values["no-doc"],
    out: values.out,
  });
}

interface Timed {
  ms: number;
  status: number;
  bytes: number;
}

interface ModelResult {
  model: string;
  params: Record<string, unknown>;
  estimateBytes: number;
  fitsEstimate: boolean;
  status: string;
  error: string | null;
  wallSeconds: number;
  fitSeconds?: number;
  evaluationSeconds?: number;
  evaluatedUsers?: number;
  ndcg10?: number;
  peaks: ProcessPeak[];
  health: HealthSummary;
}

const SERVER_GONE = "server unreachable";

/** What GET /api/runs/:id answers that the benchmark reads. */
interface RunView {
  status: string;
  error: string | null;
  progressText: string | null;
  result: { fit?: { seconds?: number }; evaluation?: { seconds?: number; users?: number }; test?: Record<string, number> } | null;
}

interface Report {
  date: string;
  machine: { cpu: string; cores: number; memGb: number; node: string; loadBefore: string; loadAfter?: string };
  args: Args;
  generation?: { seconds: number; csvSeconds: number; csvMb: number; users: number; items: number; interactions: number; benchPeakRssMb: number };
  import?: { seconds: number; status: number; message: string; health: HealthSummary; peaks: ProcessPeak[] };
  dataset?: { id: string; users: number; items: number; interactions: number };
  statistics?: { apiCold: Timed; apiWarm: Timed; page: Timed };
  models: ModelResult[];
  comparison?: { apiCold: Timed; apiWarm: Timed; page: Timed; runs: number };
  numpy?: NumpyResult | { error: string };
  notes: string[];
}

const args = readArgs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadAverage = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const cpuModel = () => /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? os.cpus()[0]?.model ?? "?";
const log = (text: string) => console.log(`[bench:scale ${new Date().toISOString().slice(11, 19)}] ${text}`);

const report: Report = {
  date: new Date().toISOString(),
  machine: { cpu: cpuModel(), cores: os.cpus().length, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadBefore: loadAverage() },
  args,
  models: [],
  notes: [],
};
const outFile = args.out ?? path.join("bench-results", `scale-${report.date.slice(0, 10)}.json`);

/** Writes what is measured so far: the JSON, and the docs section unless --no-doc. */
function save(): void {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(report, null, 2));
  if (args.doc) upsertSection("docs/benchmarks.md", `## Size benchmark, MovieLens-20M scale (${report.date.slice(0, 10)}, bench:scale)`, markdown());
}

async function timeGet(baseUrl: string, urlPath: string): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${urlPath}`, { signal: AbortSignal.timeout(600_000) });
  const body = await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status, bytes: body.byteLength };
}

async function postJson(baseUrl: string, urlPath: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}${urlPath}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * The synthetic dataset (the movielens-20m preset's shape at --users × --items × --interactions)
 * streamed to a CSV, and the training part of the worker's default split (random 80/10/10,
 * seed 42) as a CSR matrix: numpy's EASE gets the same Gram matrix up to the order of the items.
 */
async function generate(file: string): Promise<Csr> {
  const perUser = args.interactions / args.users;
  const options = presetOptions("movielens-20m", 1, {
    numUsers: args.users,
    numItems: args.items,
    interactionsPerUser: perUser,
    minInteractionsPerUser: Math.min(preset.minInteractionsPerUser, Math.floor(perUser)),
  });
  let started = performance.now();
  const dataset = generateSynthetic(options);
  const seconds = (performance.now() - started) / 1000;
  const { users, items } = dataset.table;
  const split = splitDataset(dataset.table, dataset.numUsers, resolveRunConfig({ modelId: "ease" }).split, dataset.numItems);
  const train = buildCsr(dataset.numUsers, dataset.numItems, split.train.map((r) => users[r]), split.train.map((r) => items[r]));
  started = performance.now();
  const bytes = await writeInteractionsCsv(dataset, file);
  report.generation = {
    seconds,
    csvSeconds: (performance.now() - started) / 1000,
    csvMb: bytes / 1e6,
    users: dataset.numUsers,
    items: dataset.numItems,
    interactions: users.length,
    benchPeakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  return train;
}

async function importDataset(server: LiveServer, memory: ProcessTreeMemory, file: string): Promise<string> {
  memory.resetPeaks();
  const health = pollHealth(server.baseUrl, 250);
  const started = performance.now();
  const answer = await uploadFile(
    server.baseUrl,
    "/api/datasets",
    { name: `bench-scale ${args.users}x${args.items}x${args.interactions}`, format: "csv", options: JSON.stringify({ csv: INTERACTIONS_CSV_OPTIONS }) },
    { field: "ratings", path: file },
  );
  const seconds = (performance.now() - started) / 1000;
  const body = answer.body as { id?: string; error?: { message?: string } } | null;
  report.import = { seconds, status: answer.status, message: body?.error?.message ?? (body?.id ? `created ${body.id}` : answer.text.slice(0, 200)), health: await health.stop(), peaks: memory.snapshot() };
  log(`import: ${answer.status} in ${seconds.toFixed(1)} s · health p95 ${fixed(report.import.health.p95, 0)} ms, max ${fixed(report.import.health.max, 0)} ms · peak MB ${describePeaks(report.import.peaks)}`);
  save();
  if (answer.status !== 201 || !body?.id) throw new Error(`import failed: ${answer.status} ${report.import.message}`);
  return body.id;
}

async function measureStatistics(baseUrl: string, datasetId: string): Promise<void> {
  const apiCold = await timeGet(baseUrl, `/api/datasets/${datasetId}`);
  const apiWarm = await timeGet(baseUrl, `/api/datasets/${datasetId}`);
  const page = await timeGet(baseUrl, `/datasets/${datasetId}`);
  report.statistics = { apiCold, apiWarm, page };
  const detail = (await (await fetch(`${baseUrl}/api/datasets/${datasetId}`)).json()) as { dataset: { numUsers: number; numItems: number; numInteractions: number } };
  report.dataset = { id: datasetId, users: detail.dataset.numUsers, items: detail.dataset.numItems, interactions: detail.dataset.numInteractions };
  log(`statistics: API ${apiCold.ms.toFixed(0)} ms (then ${apiWarm.ms.toFixed(0)} ms), page ${page.ms.toFixed(0)} ms (${page.status}) · dataset ${JSON.stringify(report.dataset)}`);
  save();
}

async function runModel(server: LiveServer, memory: ProcessTreeMemory, datasetId: string, modelId: string): Promise<string | null> {
  const config = resolveRunConfig({ modelId, params: MODEL_PARAMS[modelId](args), feedback: "implicit" });
  const sizes = { numUsers: report.dataset!.users, numItems: report.dataset!.items, numInteractions: report.dataset!.interactions };
  const estimateBytes = estimateModelRunBytes(getModelDefinition(modelId), config.params, sizes);
  const fitsEstimate = estimateBytes <= args.memoryLimitGb * 2 ** 30;
  log(`${modelId}: estimate ${formatBytes(estimateBytes)} of ${args.memoryLimitGb} GB — ${fitsEstimate ? "fits, launching" : "EXCEEDS the limit: the worker will refuse it before training"}`);
  memory.resetPeaks();
  const health = pollHealth(server.baseUrl, 250);
  const started = performance.now();
  const launched = await postJson(server.baseUrl, "/api/runs", { datasetId, name: `bench-scale ${modelId}`, config: { modelId, params: config.params, feedback: "implicit" } });
  const runId = launched.json.id as string | undefined;
  let run: RunView | null = null;
  let lastText = "";
  while (runId) {
    try {
      run = ((await (await fetch(`${server.baseUrl}/api/runs/${runId}`)).json()) as { run: RunView }).run;
    } catch (error) {
      run = { status: SERVER_GONE, error: (error as Error).message, progressText: null, result: null };
      break;
    }
    if (run.progressText && run.progressText !== lastText) log(`${modelId}: ${(lastText = run.progressText)}`);
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(run.status)) break;
    if (!server.alive()) {
      run = { ...run, status: SERVER_GONE, error: "scripts/start.ts exited (a server process died; see the log above)" };
      break;
    }
    await sleep(2000);
  }
  const result = run?.result;
  const row: ModelResult = {
    model: modelId,
    params: config.params,
    estimateBytes,
    fitsEstimate,
    status: run?.status ?? `launch ${launched.status}`,
    error: run?.error ?? (runId ? null : JSON.stringify(launched.json).slice(0, 300)),
    wallSeconds: (performance.now() - started) / 1000,
    fitSeconds: result?.fit?.seconds,
    evaluationSeconds: result?.evaluation?.seconds,
    evaluatedUsers: result?.evaluation?.users,
    ndcg10: result?.test?.["ndcg@10"],
    health: await health.stop(),
    peaks: memory.snapshot(),
  };
  report.models.push(row);
  log(
    `${modelId}: ${row.status}${row.error ? ` (${row.error})` : ""} · fit ${fixed(row.fitSeconds, 1)} s · test evaluation ${fixed(row.evaluationSeconds, 1)} s on ${row.evaluatedUsers ?? "-"} users · NDCG@10 ${fixed(row.ndcg10, 4)} · wall ${row.wallSeconds.toFixed(1)} s · peak MB ${describePeaks(row.peaks)}`,
  );
  save();
  return row.status === "SUCCEEDED" ? runId! : null;
}

async function measureComparison(baseUrl: string, runIds: string[]): Promise<void> {
  const query = `runs=${runIds.join(",")}&metric=ndcg@10`;
  const apiCold = await timeGet(baseUrl, `/api/compare?${query}`);
  const apiWarm = await timeGet(baseUrl, `/api/compare?${query}`);
  const page = await timeGet(baseUrl, `/compare?${query}`);
  report.comparison = { apiCold, apiWarm, page, runs: runIds.length };
  log(`comparison of ${runIds.length} runs: API ${apiCold.ms.toFixed(0)} ms (${apiCold.status}; then ${apiWarm.ms.toFixed(0)} ms), page ${page.ms.toFixed(0)} ms (${page.status})`);
  save();
}

function measureNumpy(train: Csr): void {
  const n = train.numCols;
  const matrices = args.numpyInverse === "numpy" ? 4 : 2; // np.linalg.inv: G, its work copy, the identity, the result; in place: G and B
  const need = matrices * n * n * (args.numpyDtype === "float64" ? 8 : 4);
  if (os.freemem() < need * 1.05) {
    report.numpy = { error: `not run: needs ${(need / 1e9).toFixed(1)} GB free, ${(os.freemem() / 1e9).toFixed(1)} GB available` };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-numpy-"));
    try {
      log(`numpy EASE (${args.numpyDtype}, OPENBLAS_CORETYPE=${args.openblasCoretype}, inverse ${args.numpyInverse}) on ${n} items…`);
      report.numpy = runNumpyEase(dir, train, EASE_LAMBDA, args.numpyDtype, [0], args.openblasCoretype === "none" ? undefined : args.openblasCoretype, args.numpyInverse);
    } catch (error) {
      report.numpy = { error: (error as Error).message };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  log(`numpy: ${JSON.stringify(report.numpy)}`);
  save();
}

const mb = (peaks: ProcessPeak[], role: string) => {
  const values = peaks.filter((p) => p.role === role).map((p) => p.hwmMb);
  return values.length ? Math.max(...values).toFixed(0) : "-";
};
const ms = (t: Timed | undefined) => (t ? `${t.ms.toFixed(0)} ms${t.status === 200 ? "" : ` (HTTP ${t.status})`}` : "not measured");

function modelsTable(): string {
  const header = ["model", "status", "estimate", "fit s", "test eval s", "users evaluated", "NDCG@10", "wall s", "worker peak MB", "web peak MB", "health p95/max ms"];
  const rows = report.models.map((r) => [
    r.model,
    r.status,
    formatBytes(r.estimateBytes),
    fixed(r.fitSeconds, 1),
    fixed(r.evaluationSeconds, 1),
    r.evaluatedUsers?.toLocaleString("en-US") ?? "-",
    fixed(r.ndcg10, 4),
    fixed(r.wallSeconds, 0),
    mb(r.peaks, "worker"),
    mb(r.peaks, "web"),
    `${fixed(r.health.p95, 0)}/${fixed(r.health.max, 0)}`,
  ]);
  for (const model of args.models.filter((m) => !report.models.some((r) => r.model === m))) rows.push([model, "not run (yet)", ...Array(9).fill("-")]);
  return formatTable(header, rows);
}

function markdown(): string {
  const g = report.generation;
  const i = report.import;
  const ease = report.models.find((r) => r.model === "ease");
  const np = report.numpy && "fit_s" in report.numpy ? report.numpy : null;
  const lines = [
    `${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memGb} GB, Node ${report.machine.node}; started ${report.date.slice(0, 16)} UTC,`,
    `load average ${report.machine.loadBefore} before${report.machine.loadAfter ? ` and ${report.machine.loadAfter} after` : ""}. The machine is shared with other agents, so every time is pessimistic;`,
    "the benchmark ran under `nice -n 10`. Command: `npm run bench:scale` (defaults: the movielens-20m synthetic preset at",
    `${args.users.toLocaleString("en-US")} users × ${args.items.toLocaleString("en-US")} items × ${args.interactions.toLocaleString("en-US")} interactions). Product path: the real server`,
    "(`scripts/start.ts`: web + one worker, SQLite file), upload through `POST /api/datasets`, runs launched through `POST /api/runs` and",
    "trained and evaluated (full ranking, every test user) by the worker; RSS is each process's VmHWM, reset per phase.",
    "",
    "| step | result |",
    "|---|---|",
    `| generate + write CSV | ${g ? `${g.interactions.toLocaleString("en-US")} interactions, ${g.users.toLocaleString("en-US")} users, ${g.items.toLocaleString("en-US")} items: generated in ${g.seconds.toFixed(0)} s, ${g.csvMb.toFixed(0)} MB CSV in ${g.csvSeconds.toFixed(0)} s (bench process peak ${g.benchPeakRssMb.toFixed(0)} MB)` : "not run"} |`,
    `| import through the API | ${i ? `HTTP ${i.status} in ${i.seconds.toFixed(0)} s (target < 300 s); ${i.message}; peak MB: ${describePeaks(i.peaks)}` : "not run"} |`,
    `| /api/health during import | ${i ? `${i.health.count} polls every 250 ms: p50 ${fixed(i.health.p50, 0)} ms, p95 ${fixed(i.health.p95, 0)} ms, max ${fixed(i.health.max, 0)} ms (at ${fixed(i.health.maxAt, 0)} s), ${i.health.failures} failed (target < 200 ms throughout)` : "not run"} |`,
    `| statistics | API ${ms(report.statistics?.apiCold)} first, ${ms(report.statistics?.apiWarm)} again; page ${ms(report.statistics?.page)} |`,
    `| comparison of the finished runs | ${report.comparison ? `${report.comparison.runs} runs: API ${ms(report.comparison.apiCold)} first, ${ms(report.comparison.apiWarm)} again; page ${ms(report.comparison.page)}` : "not measured"} |`,
    `| EASE fit beside numpy | ${ease?.fitSeconds !== undefined ? `RecLab ${ease.fitSeconds.toFixed(0)} s (float32, blocked, 2 threads)` : "RecLab: not finished"}; numpy ${np ? `${np.fit_s.toFixed(0)} s (${np.dtype}, ${np.blas}, Gram ${np.gram_s.toFixed(0)} s + inverse ${np.inv_s.toFixed(0)} s + B ${np.b_s.toFixed(0)} s)${ease?.fitSeconds !== undefined ? `: ${(ease.fitSeconds / np.fit_s).toFixed(2)}× (target ≤ 1.5×)` : ""}` : report.numpy && "error" in report.numpy ? `failed: ${report.numpy.error.split("\n").slice(-3).join(" ").slice(0, 300)}` : "not run"} |`,
    "",
    "```",
    modelsTable(),
    "```",
    "",
    "fit s and test eval s are the worker's own timings (run metrics); wall s is launch to finish as the API saw it (dataset",
    "loading, split, candidates and artefact storage included). Peak MB is the process's high-water mark during that run;",
    "`health` is /api/health polled every 250 ms during the run.",
    ...report.notes.map((n) => `- ${n}`),
  ];
  return lines.join("\n");
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-bench-scale-"));
let server: LiveServer | null = null;
let memory: ProcessTreeMemory | null = null;
let train: Csr | null = null;
try {
  log(`${report.machine.cpu}, ${report.machine.cores} cores, load ${report.machine.loadBefore}; ${args.users} users × ${args.items} items × ${args.interactions} interactions; models ${args.models.join(",")}`);
  const csvFile = path.join(workDir, "interactions.csv");
  train = await generate(csvFile);
  const g = report.generation!;
  log(`generated ${g.interactions} interactions in ${g.seconds.toFixed(1)} s; CSV ${g.csvMb.toFixed(0)} MB in ${g.csvSeconds.toFixed(1)} s`);
  save();

  const databaseUrl = args.databaseUrl ?? `file:${path.join(workDir, "bench.db")}`;
  const uploadMb = String(Math.ceil((g.csvMb * 1.1) / 100) * 100 + 100);
  const heap: Record<string, string> = args.heapMb ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${args.heapMb}`.trim() } : {};
  if (args.heapMb) report.notes.push(`the server's processes ran with NODE_OPTIONS=--max-old-space-size=${args.heapMb} (--heap-mb)`);
  server = await startServer(databaseUrl, { RECLAB_UPLOAD_LIMIT_MB: uploadMb, RECLAB_MAX_MODEL_MEMORY_GB: String(args.memoryLimitGb), ...heap });
  memory = new ProcessTreeMemory(server.pgid, 250);
  memory.start();
  const datasetId = await importDataset(server, memory, csvFile);
  fs.rmSync(csvFile, { force: true });
  await measureStatistics(server.baseUrl, datasetId);

  const finished: string[] = [];
  for (const modelId of args.models) {
    const runId = await runModel(server, memory, datasetId, modelId);
    if (runId) finished.push(runId);
    if (report.models.at(-1)?.status === SERVER_GONE) {
      report.notes.push(`the server stopped answering during ${modelId}; the models after it were not run`);
      break;
    }
  }
  if (finished.length >= 2) await measureComparison(server.baseUrl, finished);
  else report.notes.push("comparison not measured: fewer than two runs finished");
} finally {
  memory?.stop();
  await server?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
}
if (args.numpy && args.models.includes("ease") && train) measureNumpy(train);
report.machine.loadAfter = loadAverage();
if (!memory?.hwmResettable) report.notes.push("VmHWM could not be reset (clear_refs refused): peaks are cumulative per process");
save();
console.log(`\n${modelsTable()}\n\n${markdown().split("\n").filter((l) => l.startsWith("|")).join("\n")}\n\nwrote ${outFile}${args.doc ? " and docs/benchmarks.md" : ""}`);
