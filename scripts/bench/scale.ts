import { parseArgs } from "node:util";
import { generateSynthetic } from "../../lib/datasets/synthetic";
import { applyAutoDefaults } from "../../lib/experiments/auto-params";
import { resolveRunConfig, runExperiment } from "../../lib/experiments/run-experiment";
import type { EpochProgress } from "../../lib/training/train-model";
import { estimateRunMemory, formatBytes } from "../../lib/models/memory";
import { processPeakRssMb, RssSampler } from "./memory";
import { fixed, formatTable } from "./table";

/**
 * Scale check: a synthetic catalogue of --items items (default 17,000), ItemKNN then EASE
 * (primal blocked Cholesky in float32 unless --solver says otherwise), each fitted and evaluated
 * through the runner with the defaults a launch would use (the dataset-adaptive ones included).
 * Records fit time, the memory estimate and the process's peak RSS. Issue 15's scale check:
 * `--models cdae,mult-vae --per-user 45` (2,000 users × 17,000 items × 90,000 interactions).
 * `--verbose` prints each epoch's loss, validation metric and time.
 */
export async function benchScale(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      protocol: { type: "string" },
      items: { type: "string", default: "17000" },
      users: { type: "string", default: "2000" },
      "per-user": { type: "string", default: "30" },
      models: { type: "string", default: "item-knn,ease" },
      solver: { type: "string", default: "primal" },
      out: { type: "string" },
      verbose: { type: "boolean", default: false },
    },
  });
  const numItems = Number(values.items), numUsers = Number(values.users);
  let started = performance.now();
  const dataset = generateSynthetic({ numItems, numUsers, interactionsPerUser: Number(values["per-user"]), seed: 5 });
  const sizes = { numUsers, numItems, numInteractions: dataset.table.users.length };
  console.log(`synthetic: users=${numUsers} items=${numItems} interactions=${sizes.numInteractions} (generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const results: Record<string, unknown>[] = [];
  for (const modelId of values.models!.split(",")) {
    const params = modelId === "ease" ? { solver: values.solver } : {};
    const shape = { users: numUsers, items: numItems, interactions: sizes.numInteractions };
    const config = resolveRunConfig(applyAutoDefaults({ modelId, params, feedback: "implicit", ks: [10] }, shape));
    const rss = new RssSampler();
    started = performance.now();
    const cpuBefore = process.cpuUsage();
    const onEpoch = (e: EpochProgress) => {
      rss.sample();
      if (!values.verbose) return;
      const val = e.validationSeconds === undefined ? "" : `, val ndcg@10 ${e.metrics["ndcg@10"]?.toFixed(4) ?? "-"} in ${e.validationSeconds.toFixed(1)} s`;
      console.log(`    ${modelId} epoch ${e.epoch}: loss ${e.loss?.toFixed(4) ?? "-"}${val}, ${e.elapsedSeconds.toFixed(1)} s`);
    };
    const r = await runExperiment(dataset, config, { onPhase: () => rss.sample(), onEpoch });
    rss.sample();
    const cpu = process.cpuUsage(cpuBefore);
    const row = {
      model: modelId,
      params: r.config.params,
      epochs: `${r.fit.bestEpoch}/${r.fit.epochsRun}`,
      fitSeconds: r.fit.seconds,
      totalSeconds: (performance.now() - started) / 1000,
      // The process's CPU time over fit and test: beside totalSeconds, how long a core was waited for under load.
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      ndcg10: r.test.summary["ndcg@10"],
      estimate: estimateRunMemory(modelId, r.config.params, sizes),
      sampledPeakRssMb: rss.peakMb,
      processPeakRssMb: processPeakRssMb(),
    };
    results.push(row);
    console.log(`  ${modelId}: fit ${row.fitSeconds.toFixed(1)} s, total ${row.totalSeconds.toFixed(1)} s (CPU ${row.cpuSeconds.toFixed(1)} s), peak RSS ${row.processPeakRssMb.toFixed(0)} MB, estimate ${formatBytes(row.estimate)}`);
  }
  const header = ["model", "fit_s", "epochs", "total_s", "cpu_s", "ndcg@10", "estimate", "peak_rss_MB"];
  const rows = results.map((r) => [
    String(r.model),
    fixed(r.fitSeconds as number, 1),
    String(r.epochs),
    fixed(r.totalSeconds as number, 1),
    fixed(r.cpuSeconds as number, 1),
    fixed(r.ndcg10 as number, 4),
    formatBytes(r.estimate as number),
    fixed(r.processPeakRssMb as number, 0),
  ]);
  console.log(`\nScale: ${numItems.toLocaleString("en-US")} items (process peak RSS is cumulative: run models in separate processes for separate peaks)\n${formatTable(header, rows)}\n`);
  return { scale: { sizes, results }, out: values.out };
}
