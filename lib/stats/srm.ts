import type { SampleRatioCheck } from "../simulation/types";
import { chiSquareSurvival } from "./distributions";

/** p below which the split of users is called a sample ratio mismatch (Fabijan et al., KDD 2019). */
export const SRM_THRESHOLD = 0.001;

/**
 * Sample-ratio-mismatch check: Pearson's chi-square goodness-of-fit of the users per arm against
 * the recorded assignment shares, df = arms − 1 — R's `chisq.test(observed, p = shares)`. Shares
 * are normalised to sum to 1. No users at all is no evidence of a mismatch (χ² = 0, p = 1).
 */
export function sampleRatioCheck(observed: number[], expectedShares: number[], threshold = SRM_THRESHOLD): SampleRatioCheck {
  if (observed.length !== expectedShares.length) {
    throw new Error(`sampleRatioCheck: ${observed.length} arms but ${expectedShares.length} shares`);
  }
  const shareSum = expectedShares.reduce((a, b) => a + b, 0);
  if (!(shareSum > 0) || expectedShares.some((s) => !(s > 0))) {
    throw new Error("sampleRatioCheck: every expected share must be positive");
  }
  const total = observed.reduce((a, b) => a + b, 0);
  const expected = expectedShares.map((s) => (total * s) / shareSum);
  const df = observed.length - 1;
  if (total === 0) return { observed, expected, chiSquare: 0, df, pValue: 1, mismatch: false };
  let chiSquare = 0;
  observed.forEach((o, i) => (chiSquare += (o - expected[i]) ** 2 / expected[i]));
  const pValue = chiSquareSurvival(chiSquare, df);
  return { observed, expected, chiSquare, df, pValue, mismatch: pValue < threshold };
}
