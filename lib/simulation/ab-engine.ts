// CONTRACT STUB — replaced by the A/B engine's implementation. Keep the exported names and shapes.
import type { SimulationEnvironment } from "./environment";
import type { ArmTotals, OpeEstimate, SlatePolicy } from "./types";

export interface AbArmSpec {
  armId: string;
  label: string;
  policy: SlatePolicy;
}

export interface AbSimulationOptions {
  users: number;
  sessionsPerUser: number;
  slateSize: number;
  /** Assignment weights per arm (normalised), e.g. [1, 1]. */
  ratio: number[];
  seed: number;
}

export interface AbSimulationResult {
  totals: ArmTotals[];
  /** CTR by slot position per arm (row per arm), for the position chart. */
  positionCtr: number[][];
  /** Off-policy estimates of every other arm from each stochastic arm's logs. */
  ope: OpeEstimate[];
}

export async function simulateAbTest(
  _env: SimulationEnvironment,
  _arms: AbArmSpec[],
  _options: AbSimulationOptions,
  _hooks: { onProgress?: (done: number, total: number) => void | Promise<void>; signal?: AbortSignal } = {},
): Promise<AbSimulationResult> {
  throw new Error("not implemented");
}
