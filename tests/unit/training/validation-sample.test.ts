import { describe, expect, it } from "vitest";
import { buildCsr } from "@/lib/datasets/csr";
import type { Csr } from "@/lib/datasets/types";
import { describeValidationSample, sampleValidationUsers, VALIDATION_SAMPLE } from "@/lib/training/validation-sample";

/** numUsers users; user u has one validation item unless u % 7 === 3 (no truth). */
function truthFor(numUsers: number): Csr {
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < numUsers; u++) if (u % 7 !== 3) users.push(u), items.push(u % 5);
  return buildCsr(numUsers, 5, Int32Array.from(users), Int32Array.from(items));
}

describe("sampleValidationUsers", () => {
  it("ranks every user (null) up to the threshold", () => {
    expect(sampleValidationUsers(truthFor(100), 1, { threshold: 100, size: 10 })).toBeNull();
    expect(VALIDATION_SAMPLE).toEqual({ threshold: 20_000, size: 10_000 });
  });

  it("samples `size` distinct users with truth, ascending, and counts the users it samples from", () => {
    const truth = truthFor(1_000);
    const sample = sampleValidationUsers(truth, 42, { threshold: 100, size: 300 })!;
    expect(sample.of).toBe(1_000 - Math.ceil((1_000 - 3) / 7));
    expect(sample.users.length).toBe(300);
    expect(new Set(sample.users).size).toBe(300);
    for (let i = 1; i < sample.users.length; i++) expect(sample.users[i]).toBeGreaterThan(sample.users[i - 1]);
    expect(sample.users.every((u) => u % 7 !== 3)).toBe(true);
  });

  it("is stable: the same seed gives the same users (pinned), another seed others", () => {
    const truth = truthFor(40);
    const a = sampleValidationUsers(truth, 7, { threshold: 10, size: 6 })!;
    expect(Array.from(a.users)).toEqual(Array.from(sampleValidationUsers(truth, 7, { threshold: 10, size: 6 })!.users));
    expect(Array.from(a.users)).toEqual(PINNED_SEED_7);
    expect(Array.from(sampleValidationUsers(truth, 8, { threshold: 10, size: 6 })!.users)).not.toEqual(PINNED_SEED_7);
  });

  it("spreads over the whole user range (not the first users)", () => {
    const sample = sampleValidationUsers(truthFor(30_000), 3)!;
    expect(sample.users.length).toBe(10_000);
    const upperHalf = sample.users.filter((u) => u >= 15_000).length;
    expect(upperHalf).toBeGreaterThan(4_700);
    expect(upperHalf).toBeLessThan(5_300);
  });

  it("labels the learning curve", () => {
    expect(describeValidationSample({ users: 10_000, of: 138_000 })).toBe(
      "validation on 10,000 sampled users of 138,000 (fixed, seeded); test on all users",
    );
  });
});

// Pinned so a change to the sampler (which would silently change every large run's curve) shows up here.
const PINNED_SEED_7 = [2, 13, 15, 16, 35, 36];
