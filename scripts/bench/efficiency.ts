import type { Dataset } from "../../lib/datasets/types";
import { deepFlops, efficiency } from "../../lib/training/deep-flops";
import { measureDenseMatMulRate, type MatMulRate } from "../../lib/training/matmul-rate";
import { loadTensorflow } from "../../lib/training/tf-backend";
import type { RankingBenchResult } from "./ranking-protocol";
import { fixed, formatTable } from "./table";

/**
 * The deep models' efficiency figure: the dense work of their epochs and evaluations
 * (lib/training/deep-flops.ts) at the backend's measured matMul rate, against the measured time.
 */

export interface EfficiencyFigures {
  trainGflopPerEpoch: number;
  evaluationGflop: number;
  /** Ideal ÷ measured: a training epoch (validation excluded), a validation pass, the whole fit. */
  train: number;
  evaluation: number;
  fit: number;
  idealFitSeconds: number;
  exact: boolean;
}

/** Measures the rate once (null when no deep model is benchmarked). */
export async function matMulRateFor(modelEngines: string[]): Promise<MatMulRate | null> {
  if (!modelEngines.includes("tfjs")) return null;
  const { tf, backend } = await loadTensorflow();
  const rate = measureDenseMatMulRate(tf);
  const shapes = rate.shapes.map((s) => `${s.m}×${s.k}·${s.k}×${s.n} ${s.gflopsPerSecond.toFixed(1)}`).join(", ");
  console.log(`dense matMul rate (${backend}): ${rate.gflopsPerSecond.toFixed(1)} GFLOP/s (${shapes})`);
  return rate;
}

export function efficiencyFigures(r: RankingBenchResult, dataset: Dataset, rate: MatMulRate): EfficiencyFigures | null {
  const params = (r.config as { params?: Record<string, unknown> }).params ?? {};
  const flops = deepFlops(r.model, params, { numUsers: dataset.numUsers, numItems: dataset.numItems, numInteractions: dataset.table.users.length });
  if (!flops) return null;
  const g = rate.gflopsPerSecond;
  const idealFit = efficiency(flops.trainPerEpoch * r.epochsRun + flops.evaluation * r.validationPasses, r.fitSeconds, g);
  return {
    trainGflopPerEpoch: flops.trainPerEpoch / 1e9,
    evaluationGflop: flops.evaluation / 1e9,
    train: efficiency(flops.trainPerEpoch, r.trainSecondsPerEpoch, g).efficiency,
    evaluation: efficiency(flops.evaluation, r.validationSeconds, g).efficiency,
    fit: idealFit.efficiency,
    idealFitSeconds: idealFit.idealSeconds,
    exact: flops.exact,
  };
}

export function formatEfficiencyTable(rows: { name: string; figures: EfficiencyFigures }[], rate: MatMulRate): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const table = formatTable(
    ["model", "train_GFLOP/epoch", "train_eff", "eval_GFLOP", "eval_eff", "ideal_fit_s", "fit_eff", "counts"],
    rows.map(({ name, figures: f }) => [name, fixed(f.trainGflopPerEpoch, 2), pct(f.train), fixed(f.evaluationGflop, 2), pct(f.evaluation), fixed(f.idealFitSeconds, 2), pct(f.fit), f.exact ? "exact" : "approx."]),
  );
  return `Efficiency at ${rate.gflopsPerSecond.toFixed(1)} GFLOP/s (ideal time of the dense work ÷ measured time):\n${table}`;
}
