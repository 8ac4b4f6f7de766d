// CONTRACT STUB — replaced by the A/B statistics. Keep the exported names and shapes.
import type { AbAnalysis, ArmTotals } from "../simulation/types";

export interface AbAnalysisOptions {
  /** Expected share of users per arm (the recorded assignment ratio), summing to 1. */
  expectedShares: number[];
  alpha?: number;
  /** Add anytime-valid (sequential-safe) intervals. */
  sequential?: boolean;
}

/** Every metric per arm with CIs, lifts against arm 0 (control), Holm, SRM and the verdict. */
export function analyzeAbTest(_arms: ArmTotals[], _options: AbAnalysisOptions): AbAnalysis {
  throw new Error("not implemented");
}

/** Users per arm needed to detect a relative lift of a rate metric with the given power. */
export function planSampleSize(_input: {
  baselineRate: number;
  relativeLift: number;
  alpha?: number;
  power?: number;
  arms?: number;
}): { usersPerArm: number; totalUsers: number } {
  throw new Error("not implemented");
}
