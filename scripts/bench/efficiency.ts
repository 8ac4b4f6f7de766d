import type { Dataset } from "../../lib/datasets/types";
import { deepFlops, efficiency, type FlopsSize } from "../../lib/training/deep-flops";
import { measureDenseMatMulRate, type MatMulRate } from "../../lib/training/matmul-rate";
import { loadTensorflow } from "../../lib/training/tf-backend";
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

/** What the figure reads from a benchmarked fit, whichever protocol ran it. */
export interface TimedFit {
  model: string;
  params: Record<string, unknown>;
  epochsRun: number;
  fitSeconds: number;
  /** Mean wall time of one training epoch, validation excluded. */
  trainSecondsPerEpoch: number;
  /** Mean wall time of one validation pass. */
  validationSeconds: number;
  validationPasses: number;
}

/** The dataset's size for the FLOP counts; `trainInteractions` when the split is not the default 8:1:1. */
export function flopsSize(dataset: Dataset, trainInteractions?: number): FlopsSize {
  return { numUsers: dataset.numUsers, numItems: dataset.numItems, numInteractions: dataset.table.users.length, trainInteractions };
}

export function efficiencyFigures(r: TimedFit, size: FlopsSize, rate: MatMulRate): EfficiencyFigures | null {
  const flops = deepFlops(r.model, r.params, size);
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

/** Efficiency rows of the deep models among `runs` (the others have no FLOP count). */
export function efficiencyRows<R extends TimedFit & { displayName: string }>(runs: R[], size: FlopsSize, rate: MatMulRate): { model: string; name: string; figures: EfficiencyFigures }[] {
  return runs.flatMap((r) => {
    const figures = efficiencyFigures(r, size, rate);
    return figures ? [{ model: r.model, name: r.displayName, figures }] : [];
  });
}

export function formatEfficiencyTable(rows: { name: string; figures: EfficiencyFigures }[], rate: MatMulRate): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const table = formatTable(
    ["model", "train_GFLOP/epoch", "train_eff", "eval_GFLOP", "eval_eff", "ideal_fit_s", "fit_eff", "counts"],
    rows.map(({ name, figures: f }) => [name, fixed(f.trainGflopPerEpoch, 2), pct(f.train), fixed(f.evaluationGflop, 2), pct(f.evaluation), fixed(f.idealFitSeconds, 2), pct(f.fit), f.exact ? "exact" : "approx."]),
  );
  return `Efficiency at ${rate.gflopsPerSecond.toFixed(1)} GFLOP/s (ideal time of the dense work ÷ measured time):\n${table}`;
}
