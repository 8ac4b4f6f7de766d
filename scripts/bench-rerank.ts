// Trade-off curves of every re-ranker (lib/fairness) on MovieLens 100K in refs/ref_rerank.py's
// setting, side by side with the reference figures, with timings. Prints a table per re-ranker
// and optionally writes JSON. Usage:
//   npm run bench:rerank -- [--dataset ../shared/data/ml-100k] [--lambdas 0,0.1,...]
//     [--rerankers mmr,calibrated,exposure-constraint@scope=list] [--out bench-results/rerank.json]
// A re-ranker may carry fixed parameters besides λ: id@name=value@name=value.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { getRerankerDefinition, listRerankers, rerankAll } from "../lib/fairness/registry";
import { listMetrics, tradeOffCurve, type TradeOffPoint } from "../lib/fairness/trade-off";
import { fixed, formatTable } from "./bench/table";
import { prepareRerankBench, REFERENCE_CURVES, REFERENCE_LAMBDAS } from "./bench/rerank-protocol";

async function main() {
  const { values } = parseArgs({
    options: {
      dataset: { type: "string", default: "../shared/data/ml-100k" },
      lambdas: { type: "string", default: REFERENCE_LAMBDAS.join(",") },
      rerankers: { type: "string", default: [...listRerankers().map((d) => d.id), "exposure-constraint@scope=list"].join(",") },
      candidates: { type: "string", default: "100" },
      k: { type: "string", default: "10" },
      out: { type: "string" },
    },
  });
  const lambdas = values.lambdas.split(",").map(Number);
  const runs = values.rerankers.split(",").map(parseRun);
  const started = performance.now();
  const bench = await prepareRerankBench(values.dataset, { size: Number(values.candidates), k: Number(values.k) });
  const setupSeconds = (performance.now() - started) / 1000;
  console.log(
    `ml-100k (${values.dataset}): EASE λ=500 on the seed-42 NumPy split, ${bench.candidates.users.length} test users, C=${bench.candidates.size}, K=${bench.k}; ` +
      `import + split + fit + candidates ${setupSeconds.toFixed(1)} s (EASE + candidates ${bench.baseSeconds.toFixed(1)} s)`,
  );
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model },
    setupSeconds,
    curves: {} as Record<string, TradeOffPoint[]>,
  };
  let rerankTotal = 0;
  const cpuBefore = process.cpuUsage();
  for (const { label, id, params } of runs) {
    const definition = getRerankerDefinition(id);
    const t0 = performance.now();
    const points = tradeOffCurve(id, lambdas, { ctx: bench.ctx, candidates: bench.candidates, history: bench.history, truth: bench.truth, k: bench.k, params });
    const wall = (performance.now() - t0) / 1000;
    const rerankSeconds = points.reduce((a, p) => a + p.seconds, 0);
    rerankTotal += rerankSeconds;
    (report.curves as Record<string, TradeOffPoint[]>)[label] = points;
    const reference = label === id ? REFERENCE_CURVES[id] : undefined;
    const refMetric = definition.objective;
    const header = ["λ", "NDCG@10", "ILD", "APLT", "KL", ...(reference ? [`ref NDCG / ${refMetric.toUpperCase()}`] : []), "rerank s"];
    const rows = points.map((p) => {
      const at = REFERENCE_LAMBDAS.indexOf(p.lambda);
      const ref = reference && at >= 0 ? `${fixed(reference.ndcg[at], 4)} / ${fixed(reference[refMetric]?.[at], 4)}` : "-";
      return [String(p.lambda), fixed(p.accuracy.ndcg, 4), fixed(p.beyond.ild, 4), fixed(p.beyond.aplt, 4), fixed(p.beyond.kl, 4), ...(reference ? [ref] : []), fixed(p.seconds, 3)];
    });
    console.log(`\n${definition.displayName} (${label}): re-ranking ${rerankSeconds.toFixed(2)} s for ${lambdas.length} λ, with metrics ${wall.toFixed(2)} s`);
    console.log(formatTable(header, rows));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const sweepCpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `\nre-ranking total: ${rerankTotal.toFixed(2)} s wall for ${runs.length} re-rankers × ${lambdas.length} λ × ${bench.candidates.users.length} users ` +
      `(sweeps with metrics: ${sweepCpuSeconds.toFixed(2)} s CPU; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`,
  );
  report.rerankSeconds = rerankTotal;
  report.sweepCpuSeconds = sweepCpuSeconds;
  // The base lists' metrics, for a cross-check with refs/README.md's beyond-accuracy table.
  const base = listMetrics(rerankAll("mmr", { lambda: 0 }, bench.ctx, bench.candidates, bench.history, bench.k), bench.truth, bench.history, bench.ctx);
  console.log(`base EASE lists: NDCG@10 ${fixed(base.ndcg, 4)}, ILD ${fixed(base.ild, 4)}, APLT ${fixed(base.aplt, 4)}, KL ${fixed(base.kl, 4)}`);
  if (values.out) {
    mkdirSync(path.dirname(values.out), { recursive: true });
    writeFileSync(values.out, JSON.stringify(report, null, 2));
    console.log(`wrote ${values.out}`);
  }
}

/** "id@name=value@..." → the re-ranker and its fixed parameters (numbers where they parse). */
function parseRun(label: string): { label: string; id: string; params: Record<string, unknown> } {
  const [id, ...pairs] = label.split("@");
  getRerankerDefinition(id);
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const [name, value] = pair.split("=");
    params[name] = value !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return { label, id, params };
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
