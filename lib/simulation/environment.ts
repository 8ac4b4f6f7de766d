// CONTRACT STUB — replaced by the simulator's implementation. Keep the exported names and shapes.
import { z } from "zod";
import type { Csr } from "../datasets/types";

/** Every assumption of the simulator; the A/B form is generated from it and the page lists it. */
export const simulatorConfigSchema = z.object({
  examination: z.enum(["position-based", "cascade"]).default("position-based").describe("Examination model"),
  positionDecay: z.number().min(0).max(5).default(1).describe("Position-bias decay"),
});
export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

/** A semi-synthetic environment built from one dataset's interactions. */
export interface SimulationEnvironment {
  numUsers: number;
  numItems: number;
  config: SimulatorConfig;
  /** Each assumption as a label and a value, for the simulation's page. */
  assumptions(): { label: string; value: string }[];
  /** Model family of the ground-truth preference model (arms of that family are flagged). */
  groundTruthFamily: string;
  /** Ground truth: probability that `user` clicks each of `items` once examined. */
  attraction(user: number, items: Int32Array): Float64Array;
  /** Probability that each of the first k slots is examined (position-based model; the oracle's view). */
  examination(k: number): Float64Array;
}

/** Fits the ground truth on all of the dataset's interactions and returns the environment. */
export function buildEnvironment(
  _data: { numUsers: number; numItems: number; interactions: Csr },
  _config: SimulatorConfig,
  _seed: number,
): SimulationEnvironment {
  throw new Error("not implemented");
}
