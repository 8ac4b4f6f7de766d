import { describe, expect, it } from "vitest";
import { decodeCheckpoint, encodeCheckpoint, type CheckpointHook } from "@/lib/training/checkpoint";
import { trainModel } from "@/lib/training/train-model";
import { tinyTrainingData } from "../fixtures";
import { getModelDefinition } from "@/lib/models/registry";
import { quickDeepParams, scoreAll } from "./helpers";

// The autoencoders, NeuMF, Caser and GRU4Rec (SASRec: tests/unit/training/checkpoint.test.ts, on 2
// threads). With batch norm on, the moving statistics must come back too (they are not trainable
// weights); with a weight average (NeuMF's default, the autoencoders' option), the average and its step count.
const CASES: (readonly [string, boolean, number | undefined])[] = [
  ...["neumf", "cdae", "mult-dae", "mult-vae", "caser"].flatMap((id) => [false, true].map((batchNorm) => [id, batchNorm, undefined] as const)),
  ["gru4rec", false, undefined],
  ["mult-dae", false, 0.9],
  ["mult-vae", true, 0.9],
];

describe.each(CASES)("%s (batchNorm %s, weight average %s) resumes from a checkpoint", (id, batchNorm, weightAverageDecay) => {
  it("ends with the same scores and losses as an uninterrupted run (optimizer state and moving statistics included)", async () => {
    const definition = getModelDefinition(id);
    const data = tinyTrainingData("implicit", 20, 12);
    const average = weightAverageDecay === undefined ? {} : { weightAverageDecay };
    const params = quickDeepParams(definition, { epochs: 8, pretrainEpochs: 3, batchSize: 8, batchNorm, batchNormMomentum: 0.9, ...average });
    const base = { definition, params, data, seed: 4 };
    const straight = await trainModel(base);

    let bytes: Uint8Array | null = null;
    const store: CheckpointHook = {
      load: async () => (bytes ? decodeCheckpoint(bytes) : null),
      save: async (c) => {
        bytes = encodeCheckpoint(c);
      },
    };
    let seen = 0;
    await expect(
      trainModel({
        ...base,
        checkpoint: store,
        checkpointEvery: 3,
        onEpoch: () => {
          if (++seen === 5) throw new Error("worker lost");
        },
      }),
    ).rejects.toThrow("worker lost");
    const resumed = await trainModel({ ...base, checkpoint: store, checkpointEvery: 3 });
    expect(resumed.resumedFromEpoch).toBe(3);
    expect(resumed.history.map((h) => h.loss)).toEqual(straight.history.map((h) => h.loss));
    expect(scoreAll(resumed.model, data.numUsers, data.numItems)).toEqual(scoreAll(straight.model, data.numUsers, data.numItems));
  });
});
