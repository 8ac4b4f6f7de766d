// The RecLab command line (`npx reclab --help`). Headless runs against DATABASE_URL; report
// exports go through a running server's API.
import { parseArgs } from "node:util";
import { runCompareCommand } from "./compare";
import { runExperimentCommand } from "./experiment-run";
import { parseReportExportArgs, REPORT_EXPORT_HELP, runReportExport } from "./report-export";

const HELP = `RecLab command line

Usage:
  npx reclab experiment run --config experiment.json [--workers 2]
      Plans the experiment in the config, runs it with local worker processes until it is done,
      prints progress lines and a final leaderboard. Exit code 0 when it succeeded, 1 otherwise.
  npx reclab compare RUN_ID RUN_ID... [--metric ndcg@10]
      Compares finished runs on test: bootstrap 95% intervals per run and, for pairs evaluated on
      the same dataset, split and users, paired tests (Holm-corrected); other pairs print why not.
${REPORT_EXPORT_HELP}
  npx reclab --help

Options:
  --config PATH    Experiment config (JSON): { name?, dataset, base, spec, selectionMetric?, finalFit? }
                   dataset is { "id": "..." }, { "synthetic": { ...options }, "name": "..." } (options and
                   their limits as for POST /api/datasets/synthetic; generated in this process)
                   or { "import": { "format": "movielens-100k", "files": { "ratings": "u.data" } }, "name": "..." }
                   (file paths relative to the config file). See docs in the OpenAPI document
                   (GET /api/openapi.json, POST /api/experiments) for base and spec.
  --workers N      Worker processes to start (default 2; 0 uses workers already running)
  --metric KEY     compare: the metric of intervals and tests (default ndcg@10)
  (report export: see above)

Environment:
  DATABASE_URL     Database to use (default file:./data/reclab.db, SQLite)
  RECLAB_URL       RecLab server for report export (default http://127.0.0.1:3000)
  RECLAB_TOKEN     API token for report export (Settings → API tokens)
`;

const argv = process.argv.slice(2);
if (argv[0] === "report" && argv[1] === "export" && !argv.includes("--help") && !argv.includes("-h")) {
  let options;
  try {
    options = parseReportExportArgs(argv.slice(2));
  } catch (error) {
    console.error(`report export: ${(error as Error).message}\n\n${HELP}`);
    process.exit(1);
  }
  process.exit(await runReportExport(options));
}
const { values, positionals } = parseArgs({
  args: argv,
  allowPositionals: true,
  options: { config: { type: "string" }, workers: { type: "string", default: "2" }, metric: { type: "string", default: "ndcg@10" }, help: { type: "boolean", short: "h" } },
});

if (values.help || positionals.length === 0) {
  console.log(HELP);
  process.exit(values.help ? 0 : 1);
}
if (positionals[0] === "compare") {
  const { getDb } = await import("../../lib/db/client");
  process.exit(await runCompareCommand(getDb(), positionals.slice(1), values.metric));
}
const command = positionals.join(" ");
if (command !== "experiment run") {
  console.error(`unknown command "${command}"\n\n${HELP}`);
  process.exit(1);
}
if (!values.config) {
  console.error("experiment run needs --config experiment.json");
  process.exit(1);
}
const workers = Number(values.workers);
if (!Number.isInteger(workers) || workers < 0 || workers > 32) {
  console.error("--workers must be a whole number from 0 to 32");
  process.exit(1);
}
process.exit(await runExperimentCommand({ configPath: values.config, workers }));
