import type { Csr } from "../datasets/types";
import { Rng } from "../util/rng";

/**
 * Above `threshold` validation users, per-epoch validation ranks a fixed, seeded sample of
 * `size` of them: a full-ranking pass over 138,000 users costs minutes per epoch, while the
 * NDCG of 10,000 users moves by well under the differences early stopping acts on. Test always
 * ranks every user.
 */
export const VALIDATION_SAMPLE = { threshold: 20_000, size: 10_000 } as const;

export interface ValidationSample {
  /** The sampled users, ascending. */
  users: Int32Array;
  /** Users with at least one validation item (what a full pass would rank). */
  of: number;
}

/**
 * The users with validation items, or a seeded sample of `size` of them (ascending) once there
 * are more than `threshold`; null when every user is ranked. The same truth and seed give the
 * same sample (partial Fisher-Yates on a forked stream, so the run's other randomness is untouched).
 */
export function sampleValidationUsers(truth: Csr, seed: number, limits: { threshold: number; size: number } = VALIDATION_SAMPLE): ValidationSample | null {
  const candidates: number[] = [];
  for (let u = 0; u < truth.numRows; u++) if (truth.indptr[u + 1] > truth.indptr[u]) candidates.push(u);
  if (candidates.length <= limits.threshold) return null;
  const rng = new Rng(seed ^ 0x5a3c_9e11);
  const size = Math.min(limits.size, candidates.length);
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(candidates.length - i);
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  return { users: Int32Array.from(candidates.slice(0, size)).sort(), of: candidates.length };
}

/** The learning curve's note, e.g. "validation on 10,000 sampled users of 138,000 (seeded); test on all". */
export function describeValidationSample(sample: { users: number; of: number }): string {
  return `validation on ${sample.users.toLocaleString("en-US")} sampled users of ${sample.of.toLocaleString("en-US")} (fixed, seeded); test on all users`;
}
