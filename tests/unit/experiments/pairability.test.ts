import { describe, expect, it } from "vitest";
import { unpairedReason, type EvaluationSetting } from "@/lib/experiments/pairability";

const perUser = (users: number[]) => ({ users: Int32Array.from(users), values: { "ndcg@10": Float32Array.from(users, () => 0.5) } });
const run = (name: string, over: Partial<EvaluationSetting> = {}): EvaluationSetting => ({
  name,
  datasetId: "d1",
  datasetName: "demo",
  split: { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 42 },
  perUser: perUser([0, 1, 2]),
  ...over,
});

describe("unpairedReason", () => {
  const cases: [string, EvaluationSetting, EvaluationSetting, string | null][] = [
    ["same dataset, split and users", run("A"), run("B", { perUser: perUser([2, 1, 0]) }), null],
    ["defaults filled before comparing", run("A"), run("B", { split: { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 42, shuffle: "reclab" } }), null],
    [
      "leave-one-out against random",
      run("SASRec", { split: { kind: "leave-one-out" } }),
      run("BPR-MF"),
      "SASRec was evaluated on a leave-one-out split, BPR-MF on a random 8:1:1 split: their test sets differ, so no paired test is shown",
    ],
    [
      "same kind, other seed",
      run("A"),
      run("B", { split: { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 7 } }),
      "A was evaluated on a random 8:1:1 split with seed 42, B on a random 8:1:1 split with seed 7: their test sets differ, so no paired test is shown",
    ],
    ["other fold", run("A", { split: { kind: "k-fold", fold: 0 } }), run("B", { split: { kind: "k-fold", fold: 1 } }), "A was evaluated on fold 1 of a 5-fold split, B on fold 2 of a 5-fold split: their test sets differ, so no paired test is shown"],
    ["other dataset", run("A"), run("B", { datasetId: "d2", datasetName: "ml-100k" }), "A was evaluated on dataset demo, B on ml-100k: their test sets differ, so no paired test is shown"],
    ["other users", run("A"), run("B", { perUser: perUser([0, 1]) }), "A was evaluated on 3 users, B on 2 (not the same users): their test sets differ, so no paired test is shown"],
    ["no per-user values", run("A"), run("B", { perUser: null }), "B has no per-user values for NDCG@10, so it cannot be paired"],
    ["no recorded split", run("A", { split: null }), run("B"), "A has no recorded split, so it cannot be paired with B"],
  ];
  it.each(cases)("%s", (_label, a, b, expected) => {
    expect(unpairedReason(a, b, "ndcg@10")).toBe(expected);
  });
});
