import { describe, expect, it } from "vitest";
import { isSelfGraded } from "@/lib/ab-tests/repository";
import { createAbTestSchema } from "@/lib/ab-tests/spec";
import { decodeTotals, encodeTotals } from "@/lib/ab-tests/totals-codec";
import type { ArmTotals } from "@/lib/simulation/types";

const arm = (armId: string, users: number, offset: number): ArmTotals => ({
  armId,
  label: `arm ${armId} «ünïcode»`,
  visits: Float64Array.from({ length: users }, (_, i) => 1 + (i % 10)),
  impressions: Float64Array.from({ length: users }, (_, i) => 10 * (1 + (i % 10))),
  clicks: Float64Array.from({ length: users }, (_, i) => (i * 7 + offset) % 5),
  dwellSeconds: Float64Array.from({ length: users }, (_, i) => Math.PI * i + 0.125),
  conversions: Float64Array.from({ length: users }, (_, i) => (i % 13 === 0 ? 1 : 0)),
  returned: Uint8Array.from({ length: users }, (_, i) => (i % 3 === 0 ? 1 : 0)),
  distinctItemsShown: 411 + offset,
  catalogueSize: 1682,
});

describe("A/B totals codec", () => {
  it("round-trips every arm exactly, including odd user counts (padding) and empty arms", () => {
    const arms = [arm("A", 2501, 0), arm("B", 3, 1), arm("C", 0, 2)];
    const decoded = decodeTotals(encodeTotals(arms));
    expect(decoded).toHaveLength(3);
    for (const [i, a] of arms.entries()) {
      expect(decoded[i]).toEqual(a);
    }
  });

  it("stores 5,000 users × 2 arms compactly", () => {
    const blob = encodeTotals([arm("A", 5000, 0), arm("B", 5000, 1)]);
    // Raw: 2 × 5,000 × (5 × 8 + 1) bytes = 410 KB; gzip must do far better on counts.
    expect(blob.byteLength).toBeLessThan(200_000);
  });

  it("refuses a blob that is not one", () => {
    expect(() => decodeTotals(new Uint8Array([1, 2, 3]))).toThrow();
  });
});

describe("self-graded arms", () => {
  it("flags arms of the ground truth's model family by id or display name, whole words only", () => {
    expect(isSelfGraded("EASE", ["ease", "EASE"])).toBe(true);
    expect(isSelfGraded("ALS", ["als", "WMF-ALS"])).toBe(true);
    expect(isSelfGraded("ALS", ["pop", "Popularity"])).toBe(false);
    expect(isSelfGraded("EASE", ["item-knn", "ItemKNN"])).toBe(false);
    expect(isSelfGraded("", ["ease"])).toBe(false);
  });
});

describe("simulated test spec", () => {
  const base = { name: "t", datasetId: "d", arms: [{ kind: "run", runId: "a" }, { kind: "run", runId: "b" }] };
  it("fills the defaults: equal ratio is left to the server, 5,000 users × 10 sessions × 10 slots, 5% exploration", () => {
    const spec = createAbTestSchema.parse(base);
    expect(spec).toMatchObject({ users: 5000, sessionsPerUser: 10, slateSize: 10, seed: 42 });
    expect(spec.arms[0]).toMatchObject({ kind: "run", epsilon: 0.05 });
  });
  it("words errors as the form labels them", () => {
    const issues = (input: unknown) => createAbTestSchema.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ ...base, users: 99 })).toEqual(["users: users must be at least 100"]);
    expect(issues({ ...base, slateSize: 2.5 })).toEqual(["slateSize: slate size must be a whole number"]);
    expect(issues({ ...base, arms: [{ kind: "run", runId: "a", epsilon: 0.9 }, base.arms[1]] })).toEqual(["arms.0.epsilon: exploration must be between 0 and 0.5"]);
    expect(issues({ ...base, arms: [base.arms[0]] })).toEqual(["arms: an A/B test needs 2 to 4 arms"]);
  });
});
