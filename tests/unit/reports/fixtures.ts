import { compareRuns, type ComparableRun } from "@/lib/experiments/compare";
import type { ComparisonFacts } from "@/lib/reports/assemble/comparison";
import type { ComparisonView } from "@/lib/server/dto";

export const SPLIT = { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 42 } as const;
export const GENERATED_AT = new Date("2026-11-30T12:00:00Z");

/** Deterministic per-user values: user u scores base + step·(u mod 7). */
const values = (n: number, base: number, step: number) => Float32Array.from({ length: n }, (_, u) => base + step * (u % 7));

/**
 * Three finished runs on one dataset: A and B on the same split and 80 users (A clearly better,
 * so the paired test is significant), C on another seed (unpaired: the reason is given instead).
 */
export function comparisonFacts(names = ["EASE", "Popularity", "ItemKNN seed 7"]): ComparisonFacts {
  const users = Int32Array.from({ length: 80 }, (_, u) => u);
  const runs: (ComparableRun & { split: unknown })[] = [
    { id: "r1", name: names[0], datasetId: "d1", datasetName: "ML-100K", split: SPLIT, metrics: { "ndcg@10": 0.31234, "recall@10": 0.20871, "ndcg@5": 0.3, rmse: 0.91 }, perUser: { users, values: { "ndcg@10": values(80, 0.25, 0.02) } } },
    { id: "r2", name: names[1], datasetId: "d1", datasetName: "ML-100K", split: SPLIT, metrics: { "ndcg@10": 0.20419, "recall@10": 0.1502, "ndcg@5": 0.19, rmse: 0.95 }, perUser: { users, values: { "ndcg@10": values(80, 0.15, 0.015) } } },
    { id: "r3", name: names[2], datasetId: "d1", datasetName: "ML-100K", split: { ...SPLIT, seed: 7 }, metrics: { "ndcg@10": 0.25, "recall@10": 0.18, "ndcg@5": 0.24, rmse: 0.93 }, perUser: { users, values: { "ndcg@10": values(80, 0.2, 0.01) } } },
  ];
  const comparison = compareRuns(runs, "ndcg@10");
  const view: ComparisonView = {
    split: "test",
    runs: runs.map((r) => ({
      id: r.id,
      name: r.name,
      modelName: r.name.split(" ")[0],
      experimentId: null,
      role: null,
      evaluatedOn: `ML-100K · random 8:1:1 split with seed ${(r.split as { seed: number }).seed}`,
      params: {},
      metrics: r.metrics,
    })),
    comparison,
    curves: runs.map((r, i) => ({ runId: r.id, points: [1, 2, 3, 4].map((step) => ({ step, value: 0.1 + 0.03 * step + 0.01 * i })) })),
    varying: [],
  };
  return {
    view,
    runs: runs.map((r) => ({ datasetName: "ML-100K", split: r.split, seed: 42, backend: "js" })),
    generatedAt: GENERATED_AT,
  };
}
