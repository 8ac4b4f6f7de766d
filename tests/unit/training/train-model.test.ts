import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildCsr } from "@/lib/datasets/csr";
import type { Csr } from "@/lib/datasets/types";
import { popDefinition } from "@/lib/models/pop";
import type { ModelDefinition, Recommender, TrainingData } from "@/lib/models/types";
import { trainModel } from "@/lib/training/train-model";
import { rankModel } from "./support/rank-model";

const NUM_USERS = 3;
const NUM_ITEMS = 10;

/**
 * A scripted model: after epoch e it ranks the one relevant item (item 0) at position
 * `ranks[e - 1]`, so validation NDCG@10 is 1 / log2(rank + 1) and every trainer decision is
 * predictable. Its whole state is that rank.
 */
function scriptedDefinition(ranks: number[]): ModelDefinition {
  const paramsSchema = z.object({ epochs: z.number().default(ranks.length).describe("Epochs.") });
  return {
    id: "scripted",
    displayName: "Scripted",
    summary: "Test double with a scripted learning curve.",
    feedback: "implicit",
    input: "matrix",
    training: "epochs",
    engine: "js",
    paramsSchema,
    create: (params) =>
      rankModel(NUM_ITEMS, async (setRank, ctx) => {
        const epochs = Number(params.epochs);
        for (let epoch = 1; epoch <= epochs; epoch++) {
          setRank(ranks[epoch - 1]);
          const decision = await ctx.onEpoch?.({ epoch, totalEpochs: epochs, loss: ranks[epoch - 1] });
          if (decision?.stop) break;
        }
      }),
  };
}

const ndcgAtRank = (rank: number) => 1 / Math.log2(rank + 1);

function fixture(): { data: TrainingData; validation: { truth: Csr; exclude: Csr[] } } {
  const none = new Int32Array(0);
  const empty = buildCsr(NUM_USERS, NUM_ITEMS, none, none);
  const truth = buildCsr(NUM_USERS, NUM_ITEMS, Int32Array.from([0, 1, 2]), Int32Array.from([0, 0, 0]));
  const table = { users: none, items: none, ratings: new Float32Array(0), timestamps: new Float64Array(0) };
  return {
    data: { numUsers: NUM_USERS, numItems: NUM_ITEMS, feedback: "implicit", train: empty, trainTable: table },
    validation: { truth, exclude: [empty] },
  };
}

/** The rank the returned model holds, read back from its scores. */
function heldRank(model: Recommender): number {
  const out = new Float32Array(NUM_ITEMS);
  model.score(Int32Array.from([0]), out);
  return Math.round(NUM_ITEMS + 0.5 - out[0]);
}

describe("trainModel", () => {
  const ranks = [6, 3, 1, 4, 5, 7, 8, 9, 9, 9];

  it("stops after `patience` evaluations without improvement and restores the best epoch", async () => {
    const { data, validation } = fixture();
    const result = await trainModel({ definition: scriptedDefinition(ranks), params: {}, data, validation, patience: 2, seed: 1 });
    expect(result.bestEpoch).toBe(3);
    expect(result.epochsRun).toBe(5);
    expect(result.stoppedEarly).toBe(true);
    expect(result.cancelled).toBe(false);
    expect(heldRank(result.model)).toBe(1);
    expect(result.history.map((h) => h.metrics["ndcg@10"])).toEqual(ranks.slice(0, 5).map((r) => expect.closeTo(ndcgAtRank(r), 5)));
  });

  it("keeps the last epoch's state when restoreBest is off", async () => {
    const { data, validation } = fixture();
    const result = await trainModel({ definition: scriptedDefinition(ranks), params: {}, data, validation, patience: 2, restoreBest: false, seed: 1 });
    expect(result.epochsRun).toBe(5);
    expect(heldRank(result.model)).toBe(5);
  });

  it("runs every epoch without validation and keeps the last", async () => {
    const { data } = fixture();
    const result = await trainModel({ definition: scriptedDefinition(ranks), params: {}, data, seed: 1 });
    expect(result.epochsRun).toBe(10);
    expect(result.bestEpoch).toBe(10);
    expect(result.stoppedEarly).toBe(false);
    expect(result.history.every((h) => Object.keys(h.metrics).length === 0)).toBe(true);
  });

  it("evaluates only every `evalEvery` epochs and counts patience in evaluations", async () => {
    const { data, validation } = fixture();
    const seen: { epoch: number; evaluated: boolean }[] = [];
    const result = await trainModel({
      definition: scriptedDefinition(ranks),
      params: {},
      data,
      validation,
      evalEvery: 2,
      patience: 2,
      seed: 1,
      onEpoch: (p) => {
        seen.push({ epoch: p.epoch, evaluated: "ndcg@10" in p.metrics });
      },
    });
    // Evaluated at 2 (rank 3), 4 (rank 4), 6 (rank 7): two evaluations without improvement after epoch 2.
    expect(seen.filter((s) => s.evaluated).map((s) => s.epoch)).toEqual([2, 4, 6]);
    expect(result.bestEpoch).toBe(2);
    expect(result.epochsRun).toBe(6);
    expect(heldRank(result.model)).toBe(3);
  });

  it("stops at an epoch boundary when cancelled", async () => {
    const { data, validation } = fixture();
    let epochsSeen = 0;
    const result = await trainModel({
      definition: scriptedDefinition(ranks),
      params: {},
      data,
      validation,
      seed: 1,
      onEpoch: () => {
        epochsSeen++;
      },
      shouldStop: async () => epochsSeen >= 2,
    });
    expect(result.cancelled).toBe(true);
    expect(result.epochsRun).toBe(2);
    expect(result.stoppedEarly).toBe(false);
    expect(result.history).toHaveLength(2);
  });

  it("does not stop early when validation has no users to judge by", async () => {
    const { data } = fixture();
    const none = new Int32Array(0);
    const empty = buildCsr(NUM_USERS, NUM_ITEMS, none, none);
    const result = await trainModel({ definition: scriptedDefinition(ranks), params: {}, data, validation: { truth: empty, exclude: [] }, patience: 1, seed: 1 });
    expect(result.epochsRun).toBe(10);
    expect(result.bestEpoch).toBe(10);
  });

  it("selects on a lower-is-better monitor only for rating models", async () => {
    const { data, validation } = fixture();
    await expect(
      trainModel({ definition: scriptedDefinition(ranks), params: {}, data, validation, monitor: "rmse", seed: 1 }),
    ).rejects.toMatchObject({ code: "BAD_INPUT", details: { field: "monitor" } });
  });

  it("evaluates a closed-form model once after fitting", async () => {
    const { data, validation } = fixture();
    const progress: number[] = [];
    const result = await trainModel({
      definition: popDefinition,
      params: {},
      data,
      validation,
      seed: 1,
      onEpoch: (p) => {
        progress.push(p.epoch);
      },
    });
    expect(progress).toEqual([1]);
    expect(result.bestEpoch).toBe(1);
    expect(result.history[0].metrics["ndcg@10"]).toBeTypeOf("number");
  });
});
