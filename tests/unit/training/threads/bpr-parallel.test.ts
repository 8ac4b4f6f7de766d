import { afterAll, describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { splitDataset } from "@/lib/datasets/splits";
import { prepareSplit } from "@/lib/experiments/prepare-data";
import { bprDefinition } from "@/lib/models/bpr";
import { userBlocks } from "@/lib/models/shared/bpr-parallel";
import { terminateIdleThreads } from "@/lib/training/threads/pool";
import { trainModel } from "@/lib/training/train-model";

afterAll(() => terminateIdleThreads());

describe("BPR-MF by user blocks", () => {
  const dataset = generateSynthetic({ numUsers: 150, numItems: 90, seed: 4 });
  const split = splitDataset(dataset.table, dataset.numUsers, { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 2 });
  const prepared = prepareSplit(dataset, split, "implicit");
  const fit = (threads: number) =>
    trainModel({
      definition: bprDefinition,
      params: { epochs: 6, factors: 8 },
      data: prepared.train,
      validation: { truth: prepared.validation, exclude: [prepared.train.train] },
      patience: 100,
      seed: 5,
      threads,
    });
  const curve = (r: Awaited<ReturnType<typeof fit>>) => r.history.map((h) => [h.loss, h.metrics["ndcg@10"]]);

  it("gives identical losses and validation metrics twice for the same seed and thread count", async () => {
    const [a, b] = [await fit(2), await fit(2)];
    expect(a.threads).toBe(2);
    expect(curve(b)).toEqual(curve(a));
    // Another thread count samples other triples: a different (equally valid) fit.
    expect(curve(await fit(1))).not.toEqual(curve(a));
  });

  it.each([
    ["equal users", [0, 2, 4, 6, 8], 2, [0, 4, 8]],
    ["a heavy first user takes a block of its own", [0, 10, 11, 12, 13], 2, [0, 10, 13]],
    ["more blocks than users leaves empty blocks at the end", [0, 1, 2], 4, [0, 1, 1, 2, 2]],
  ])("userBlocks: %s", (_label, indptr, parts, expected) => {
    expect(Array.from(userBlocks(Int32Array.from(indptr), indptr.length - 1, parts))).toEqual(expected);
  });
});
