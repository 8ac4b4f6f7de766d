import { describe, expect, it } from "vitest";
import type { ModelDefinition, Recommender } from "@/lib/models/types";
import { decodeCheckpoint, encodeCheckpoint, type CheckpointHook } from "@/lib/training/checkpoint";
import { trainModel } from "@/lib/training/train-model";
import { allUsers, tinyTrainingData } from "../fixtures";
import { getModelDefinition } from "@/lib/models/registry";
import { quickDeepParams } from "./helpers";

function scores(model: Recommender, numUsers: number, numItems: number) {
  const out = new Float32Array(numUsers * numItems);
  model.score(allUsers(numUsers), out);
  return out;
}

// The autoencoders and NeuMF; the sequential and hybrid tfjs models have their own tests.
const MODELS = ["neumf", "cdae", "mult-dae", "mult-vae"].map((id) => [id, getModelDefinition(id)] as const);

describe.each(MODELS)("%s resumes from a checkpoint", (_id, definition: ModelDefinition) => {
  it("ends with the same scores and losses as an uninterrupted run (optimizer state included)", async () => {
    const data = tinyTrainingData("implicit", 20, 12);
    const params = quickDeepParams(definition, { epochs: 8, pretrainEpochs: 3, batchSize: 8 });
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
    expect(scores(resumed.model, data.numUsers, data.numItems)).toEqual(scores(straight.model, data.numUsers, data.numItems));
  });
});
