import { describe, expect, it } from "vitest";
import { compareRuns, type ComparableRun } from "@/lib/experiments/compare";
import { comparisonLines } from "@/scripts/cli/compare";

// The CLI prints the API's comparison: p-values only for pairs on the same dataset, split and users.
const users = Int32Array.from({ length: 40 }, (_, u) => u);
const run = (id: string, split: unknown, offset: number): ComparableRun => ({
  id,
  name: id,
  datasetId: "d",
  datasetName: "ml-100k",
  split,
  metrics: { "ndcg@10": 0.2 + offset },
  perUser: { users, values: { "ndcg@10": Float32Array.from(users, (u) => ((u * 7) % 10) / 20 + offset) } },
});
const random = { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 42, shuffle: "reclab" };

describe("reclab compare", () => {
  it("prints the reason and no p-value for runs on different splits", () => {
    const runs = [run("SASRec", { kind: "leave-one-out" }, 0.1), run("BPR-MF", random, 0)];
    const lines = comparisonLines(runs, compareRuns(runs, "ndcg@10"));
    const pair = lines[lines.indexOf("Pairs:") + 1];
    expect(pair).toBe("  SASRec vs BPR-MF: no paired test — SASRec was evaluated on a leave-one-out split, BPR-MF on a random 8:1:1 split: their test sets differ, so no paired test is shown");
    expect(lines.join("\n")).not.toMatch(/p [<=]/);
    expect(lines[1]).toMatch(/^ {2}SASRec: 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\]$/);
  });

  it("prints the paired tests for runs on the same split and users", () => {
    const runs = [run("EASE", random, 0.1), run("BPR-MF", random, 0)];
    const lines = comparisonLines(runs, compareRuns(runs, "ndcg@10"));
    expect(lines[lines.indexOf("Pairs:") + 1]).toMatch(/^ {2}EASE beats BPR-MF on NDCG@10 by 0\.100, p < 0\.001 \(paired t-test/);
  });
});
