import { simulateAbTest } from "./ab-engine";
import type { SimulationEnvironment } from "./environment";
import { OPE_ESTIMATORS, type OpeEstimatorId } from "./ope";
import type { SlatePolicy } from "./types";

export interface OpeAccuracyRow {
  estimator: OpeEstimatorId;
  /** Mean over seeds of |estimate / truth − 1|. */
  meanRelativeError: number;
  /** Share of seeds whose 95% bootstrap interval contains the truth. */
  coverage: number;
  meanEstimate: number;
  meanTruth: number;
}

/**
 * How well each estimator recovers a target policy's CTR from a logging policy's slates, over
 * several seeds: per seed, `impressions` / `slateSize` single-visit users are all served by the
 * logging policy (the target is never shown: assignment ratio 1 : 0), and the estimate is
 * compared with the target's ground-truth expected CTR on those very visits (OpeEstimate.expected;
 * needs the position-based examination model).
 */
export async function opeAccuracy(
  env: SimulationEnvironment,
  policies: (seed: number) => { logging: SlatePolicy; target: SlatePolicy },
  options: { seeds: number[]; impressions: number; slateSize: number },
): Promise<OpeAccuracyRow[]> {
  const users = Math.ceil(options.impressions / options.slateSize);
  const errors = new Map<OpeEstimatorId, { error: number; covered: number; estimate: number; truth: number }>(
    OPE_ESTIMATORS.map((e) => [e, { error: 0, covered: 0, estimate: 0, truth: 0 }]),
  );
  for (const seed of options.seeds) {
    const { logging, target } = policies(seed);
    const arms = [
      { armId: "logging", label: "Logging", policy: logging },
      { armId: "target", label: "Target", policy: target },
    ];
    const result = await simulateAbTest(env, arms, { users, sessionsPerUser: 1, slateSize: options.slateSize, ratio: [1, 0], seed });
    for (const e of result.ope) {
      if (e.loggingArmId !== "logging") continue;
      const truth = e.expected;
      if (truth == null) throw new RangeError("the target's expected CTR needs the position-based examination model");
      const acc = errors.get(e.estimator)!;
      acc.error += Math.abs(e.value / truth - 1);
      acc.covered += e.ci[0] <= truth && truth <= e.ci[1] ? 1 : 0;
      acc.estimate += e.value;
      acc.truth += truth;
    }
  }
  const n = options.seeds.length;
  return OPE_ESTIMATORS.map((estimator) => {
    const acc = errors.get(estimator)!;
    return { estimator, meanRelativeError: acc.error / n, coverage: acc.covered / n, meanEstimate: acc.estimate / n, meanTruth: acc.truth / n };
  });
}
