import { describe, expect, it } from "vitest";
import { ablationDeltas } from "@/lib/experiments/summarize";
import { bestValue, betterFirst, changeTone, deltaTone, formatDelta, type Tone } from "@/lib/metrics/direction";

describe("better or worse follows each metric's direction", () => {
  const cases: [string, string, number, boolean, Tone][] = [
    ["significant NDCG drop is worse (red)", "ndcg@10", -0.1019, true, "worse"],
    ["significant NDCG gain is better (green)", "ndcg@10", 0.02, true, "better"],
    ["significant RMSE decrease is better (green)", "rmse", -0.05, true, "better"],
    ["significant RMSE increase is worse", "rmse", 0.05, true, "worse"],
    ["significant Gini decrease is better", "gini@10", -0.1, true, "better"],
    ["significant ARP increase is worse", "arp@10", 12, true, "worse"],
    ["significant miscalibration decrease is better", "miscalibration@10", -0.2, true, "better"],
    ["non-significant drop is neutral", "ndcg@10", -0.1, false, "neutral"],
    ["significant zero is neutral", "ndcg@10", 0, true, "neutral"],
  ];
  it.each(cases)("%s", (_label, key, delta, significant, tone) => {
    expect(changeTone(key, delta, significant)).toBe(tone);
  });

  it("best per column and ranking: highest NDCG, lowest RMSE, non-finite last", () => {
    expect(bestValue("ndcg@10", [0.2, 0.3, Number.NaN])).toBe(0.3);
    expect(bestValue("rmse", [0.9, 0.8, Number.NaN])).toBe(0.8);
    expect(bestValue("rmse", [Number.NaN])).toBeUndefined();
    expect([0.9, Number.NaN, 0.8, 1.1].sort(betterFirst("rmse"))).toEqual([0.8, 0.9, 1.1, Number.NaN]);
    expect([0.1, 0.3, 0.2].sort(betterFirst("recall@10"))).toEqual([0.3, 0.2, 0.1]);
  });

  it("ablation deltas use it: a significant drop of NDCG is red, a significant drop of Gini green, p ≥ 0.05 neutral", () => {
    const users = Int32Array.from({ length: 50 }, (_, u) => u);
    const perUser = (ndcg: (u: number) => number, gini: (u: number) => number) => ({
      users,
      values: { "ndcg@10": Float32Array.from(users, ndcg), "gini@10": Float32Array.from(users, gini) },
    });
    const mean = (f: (u: number) => number) => users.reduce((s, u) => s + f(u), 0) / users.length;
    const group = (name: string, ndcg: (u: number) => number, gini: (u: number) => number) => ({
      name,
      runIds: [name],
      runs: [{ seed: 1, test: { "ndcg@10": mean(ndcg), "gini@10": mean(gini) }, perUser: perUser(ndcg, gini) }],
    });
    const [, noReg] = ablationDeltas([
      group("base", (u) => 0.3 + (u % 5) * 0.01, (u) => 0.5 + (u % 3) * 0.01),
      group("no regularisation", (u) => 0.2 + (u % 5) * 0.01 + (u % 2) * 0.001, (u) => 0.4 + (u % 3) * 0.01 + (u % 2) * 0.001),
    ]);
    expect(deltaTone("ndcg@10", noReg.deltas["ndcg@10"])).toBe("worse");
    expect(deltaTone("gini@10", noReg.deltas["gini@10"])).toBe("better");
    expect(deltaTone("ndcg@10", { delta: -0.1, p: 0.2 })).toBe("neutral");
    expect(deltaTone("ndcg@10", { delta: -0.1, p: null })).toBe("neutral");
    expect(formatDelta(-0.1019)).toBe("−0.1019");
    expect(formatDelta(0.02)).toBe("+0.0200");
  });
});
