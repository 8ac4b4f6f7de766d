import { afterAll, describe, expect, it } from "vitest";
import { getModelDefinition } from "@/lib/models/registry";
import type { Recommender, TrainingData } from "@/lib/models/types";
import { terminateIdleThreads } from "@/lib/training/threads/pool";
import { trainModel } from "@/lib/training/train-model";
import { chainTask } from "../../models/sequential/chain-task";

const PARAMS = { factors: 16, maxLen: 8, blocks: 1, epochs: 6, batchSize: 32, learningRate: 0.01, dropout: 0.1 };

async function fit(data: TrainingData, threads: number, seed = 1, epochs = PARAMS.epochs): Promise<Recommender> {
  const definition = getModelDefinition("sasrec");
  const model = definition.create(definition.paramsSchema.parse({ ...PARAMS, epochs }), data.numUsers, data.numItems);
  await model.fit(data, { seed, threads });
  return model;
}

function scores(model: Recommender, data: TrainingData): Float32Array {
  const out = new Float32Array(4 * data.numItems);
  model.score(Int32Array.from([0, 1, 2, 3]), out);
  return out;
}

afterAll(() => terminateIdleThreads());

describe("SASRec data-parallel over 2 threads", () => {
  it("repeats itself bit for bit for the same seed and thread count", async () => {
    const { data } = chainTask();
    const a = scores(await fit(data, 2), data);
    const b = scores(await fit(data, 2), data);
    expect(b).toEqual(a);
    expect(a.every(Number.isFinite)).toBe(true);
  }, 120_000);

  it("stops within a batch when cancelled (the pool is terminated), and threaded fits after it still repeat themselves", async () => {
    const { data } = chainTask();
    const definition = getModelDefinition("sasrec");
    let cancelled = false;
    const stopped = await trainModel({
      definition,
      params: PARAMS,
      data,
      seed: 1,
      threads: 2,
      isCancelled: () => cancelled,
      onEpoch: (p) => {
        if (p.epoch === 2) cancelled = true;
      },
    });
    expect([stopped.cancelled, stopped.epochsRun]).toEqual([true, 2]);
    const a = scores(await fit(data, 2), data);
    expect(scores(await fit(data, 2), data)).toEqual(a);
  }, 120_000);
});
