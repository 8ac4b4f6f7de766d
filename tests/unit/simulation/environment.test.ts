import { describe, expect, it } from "vitest";
import { buildEnvironment, calibrateRow, simulatorConfigSchema } from "@/lib/simulation/environment";
import { clusteredData } from "./fixtures";

describe("ground-truth attraction", () => {
  it("is σ(bias + scale · z) of the score standardised over the user's own row", () => {
    // Scores 0..3: mean 1.5, sd √1.25; bias −1, scale 1 → σ(−1 + (s − 1.5) / 1.1180).
    const out = new Float32Array(4);
    const sum = calibrateRow(Float32Array.of(0, 1, 2, 3), 0, 4, { attractionBias: -1, attractionScale: 1 }, out);
    const expected = [0.0877325, 0.1904308, 0.3652182, 0.584589];
    expected.forEach((a, j) => expect(out[j]).toBeCloseTo(a, 6));
    expect(sum).toBeCloseTo(expected.reduce((s, x) => s + x, 0), 6);
  });

  it("is the same for every item of a user whose scores are all equal (no preference)", () => {
    const out = new Float32Array(3);
    calibrateRow(Float32Array.of(2, 2, 2), 0, 3, { attractionBias: -2, attractionScale: 1 }, out);
    expect(Array.from(out)).toEqual(Array(3).fill(Math.fround(1 / (1 + Math.exp(2)))));
  });
});

describe("buildEnvironment", () => {
  it("learns each user's cluster: unseen items of their own cluster are far more attractive than the rest", async () => {
    const data = clusteredData();
    const env = await buildEnvironment(data, simulatorConfigSchema.parse({}), 1);
    expect(env.groundTruthFamily).toBe("ease");
    const all = Int32Array.from({ length: data.numItems }, (_, j) => j);
    let own = 0, ownN = 0, other = 0, otherN = 0;
    for (let u = 0; u < data.numUsers; u++) {
      const seen = new Set(env.history!(u));
      const a = env.attraction(u, all);
      let sum = 0;
      for (let j = 0; j < data.numItems; j++) {
        expect(a[j] > 0 && a[j] < 1).toBe(true);
        sum += a[j];
        if (seen.has(j)) continue;
        if (data.itemCluster(j) === data.clusterOf(u)) (own += a[j]), ownN++;
        else (other += a[j]), otherN++;
      }
      expect(env.attractionSum!(u)).toBeCloseTo(sum, 3);
    }
    expect(own / ownN).toBeGreaterThan(5 * (other / otherN));
  });

  it("keeps each user's distinct dataset items as history and examines slot k with 1 / k^η", async () => {
    const data = clusteredData({ users: 8, items: 8, clusters: 2, perUser: 2 });
    const env = await buildEnvironment(data, simulatorConfigSchema.parse({ positionDecay: 2 }), 1);
    const x = data.interactions;
    for (let u = 0; u < data.numUsers; u++) expect(Array.from(env.history!(u)).sort()).toEqual([...new Set(x.indices.subarray(x.indptr[u], x.indptr[u + 1]))].sort());
    expect(Array.from(env.examination(3))).toEqual([1, 1 / 4, 1 / 9]);
  });

  it("lists every assumption with the configured values", async () => {
    const data = clusteredData({ users: 8, items: 8, clusters: 2, perUser: 2 });
    const env = await buildEnvironment(data, simulatorConfigSchema.parse({ examination: "cascade", positionDecay: 1.5, conversion: false, truthLambda: 50 }), 9);
    const byLabel = Object.fromEntries(env.assumptions().map((a) => [a.label, a.value]));
    expect(Object.keys(byLabel)).toEqual(["Users", "Ground truth", "Click attraction", "Examination", "Click", "Dwell time", "Conversion", "Leave / return", "Off-policy estimates", "Seed"]);
    expect(byLabel["Ground truth"]).toContain("λ = 50");
    expect(byLabel.Examination).toContain("Cascade model");
    expect(byLabel.Examination).toContain("^1.5");
    expect(byLabel.Conversion).toBe("Not simulated.");
    expect(byLabel.Seed).toBe("9");
  });
});

describe("simulatorConfigSchema", () => {
  it("describes every field and bounds it", () => {
    for (const [name, field] of Object.entries(simulatorConfigSchema.shape)) expect(field.description, name).toBeTruthy();
    expect(() => simulatorConfigSchema.parse({ positionDecay: 6 })).toThrow();
    expect(() => simulatorConfigSchema.parse({ conversionMax: 1.5 })).toThrow();
    expect(() => simulatorConfigSchema.parse({ examination: "dbn" })).toThrow();
    expect(simulatorConfigSchema.parse({}).positionDecay).toBe(1);
  });
});
