import { afterAll, describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { splitDataset } from "@/lib/datasets/splits";
import { prepareSplit } from "@/lib/experiments/prepare-data";
import { resolveRunConfig, runExperiment } from "@/lib/experiments/run-experiment";
import { bprDefinition } from "@/lib/models/bpr";
import { mfDefinition } from "@/lib/models/mf";
import { sasrecDefinition } from "@/lib/models/sasrec";
import { terminateIdleThreads } from "@/lib/training/threads/pool";
import type { ModelDefinition, Recommender } from "@/lib/models/types";
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type CheckpointHook } from "@/lib/training/checkpoint";
import { trainModel, TrainingSuspendedError, type TrainOptions } from "@/lib/training/train-model";
import { MemoryTrackingStore } from "@/lib/tracking/memory-store";
import type { JobRecord } from "@/lib/queue/types";
import type { JobContext } from "@/workers/worker";
import { executeTrainRun } from "@/workers/handlers/train-run";

const dataset = generateSynthetic({ numUsers: 120, numItems: 80, seed: 5 });

function prepared(feedback: "implicit" | "explicit") {
  const split = splitDataset(dataset.table, dataset.numUsers, { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 42 });
  const data = prepareSplit(dataset, split, feedback);
  return { data: data.train, validation: { truth: data.validation, exclude: [data.train.train] } };
}

/** A checkpoint store that keeps the encoded bytes, as the worker's artefact store does. */
function memoryCheckpoints(): CheckpointHook & { bytes: Uint8Array | null; saves: number[] } {
  const hook = {
    bytes: null as Uint8Array | null,
    saves: [] as number[],
    async load() {
      return hook.bytes ? decodeCheckpoint(hook.bytes) : null;
    },
    async save(c: Checkpoint) {
      hook.saves.push(c.epoch);
      hook.bytes = encodeCheckpoint(c);
    },
  };
  return hook;
}

function allScores(model: Recommender, numUsers: number, numItems: number) {
  const out = new Float32Array(numUsers * numItems);
  model.score(Int32Array.from({ length: numUsers }, (_, u) => u), out);
  return out;
}

describe("checkpoint codec", () => {
  it("round-trips model state, best snapshot and trainer bookkeeping", () => {
    const c: Checkpoint = {
      epoch: 5,
      model: { json: { factors: 2 }, arrays: { a: Float32Array.of(1, 2.5, -3), b: Int32Array.of(7, 8), "optimizer/step": Float32Array.of(9) } },
      trainer: {
        best: 0.25,
        bestEpoch: 3,
        evaluationsSinceBest: 2,
        bestState: { json: { factors: 2 }, arrays: { a: Float32Array.of(0, 1, 2) } },
        history: [{ epoch: 1, loss: 0.5, metrics: { "ndcg@10": 0.1 }, elapsedSeconds: 0.2 }],
        elapsedSeconds: 1.5,
        finished: false,
      },
    };
    const back = decodeCheckpoint(encodeCheckpoint(c));
    expect(back).toEqual(c);
    expect(back.model.arrays.b).toBeInstanceOf(Int32Array);
  });

  it("rejects bytes that are not a checkpoint", () => {
    expect(() => decodeCheckpoint(new Uint8Array(16))).toThrow(/not a RecLab checkpoint/);
  });
});

const SASREC_TINY = { factors: 16, maxLen: 8, blocks: 1, epochs: 12, batchSize: 64, learningRate: 0.01, dropout: 0.1 };

afterAll(() => terminateIdleThreads());

describe.each([
  ["bpr", bprDefinition, "implicit", { epochs: 12, factors: 8 }, 1],
  ["mf", mfDefinition, "explicit", { epochs: 12, factors: 8 }, 1],
  // Threaded fits: BPR by user blocks, SASRec data-parallel; the resumed fit takes the count from the checkpoint.
  ["bpr on 2 threads", bprDefinition, "implicit", { epochs: 12, factors: 8 }, 2],
  ["sasrec on 2 threads", sasrecDefinition, "implicit", SASREC_TINY, 2],
] as const)("trainModel resumes %s from a checkpoint", (_id, definition, feedback, params, threads) => {
  const base = (): TrainOptions => {
    const { data, validation } = prepared(feedback);
    return {
      definition: definition as ModelDefinition,
      params,
      data,
      validation,
      monitor: feedback === "explicit" ? "rmse" : "ndcg@10",
      patience: 100,
      seed: 3,
      threads,
    };
  };

  it("reaches the same history and final scores as an uninterrupted run", async () => {
    const uninterrupted = await trainModel(base());

    // First attempt: the worker dies during epoch 8 (checkpoints at 5 and 10 -> the one at 5 survives).
    const store = memoryCheckpoints();
    let epochsSeen = 0;
    const crashed = trainModel({
      ...base(),
      checkpoint: store,
      checkpointEvery: 5,
      onEpoch: () => {
        if (++epochsSeen === 7) throw new Error("worker lost");
      },
    });
    await expect(crashed).rejects.toThrow("worker lost");
    expect(store.saves).toEqual([5]);

    const resumed = await trainModel({ ...base(), threads: undefined, checkpoint: store, checkpointEvery: 5 });
    expect(resumed.resumedFromEpoch).toBe(5);
    expect([uninterrupted.threads, resumed.threads]).toEqual([threads, threads]);
    expect(resumed.epochsRun).toBe(12);
    expect(store.saves).toEqual([5, 10]);
    expect(resumed.bestEpoch).toBe(uninterrupted.bestEpoch);
    expect(resumed.history.map((h) => [h.epoch, h.loss, h.metrics])).toEqual(uninterrupted.history.map((h) => [h.epoch, h.loss, h.metrics]));
    const { numUsers, numItems } = base().data;
    expect(allScores(resumed.model, numUsers, numItems)).toEqual(allScores(uninterrupted.model, numUsers, numItems));
  });

  it("suspends at the epoch boundary it is asked to (worker shutdown), and resumes there to the same result", async () => {
    const uninterrupted = await trainModel(base());
    const store = memoryCheckpoints();
    let epochsSeen = 0;
    const suspended = trainModel({ ...base(), checkpoint: store, checkpointEvery: 5, onEpoch: () => void epochsSeen++, suspend: () => epochsSeen >= 7 });
    await expect(suspended).rejects.toThrow(TrainingSuspendedError);
    await expect(suspended).rejects.toMatchObject({ epoch: 7 });
    expect(store.saves).toEqual([5, 7]); // the periodic one, then the shutdown's at the epoch reached

    const resumed = await trainModel({ ...base(), checkpoint: store, checkpointEvery: 5 });
    expect(resumed.resumedFromEpoch).toBe(7);
    expect(resumed.epochsRun).toBe(12);
    expect(resumed.history.map((h) => [h.epoch, h.loss, h.metrics])).toEqual(uninterrupted.history.map((h) => [h.epoch, h.loss, h.metrics]));
    const { numUsers, numItems } = base().data;
    expect(allScores(resumed.model, numUsers, numItems)).toEqual(allScores(uninterrupted.model, numUsers, numItems));
  });

  it("does not suspend without a checkpoint store (nothing to resume from): training just goes on", async () => {
    const result = await trainModel({ ...base(), suspend: () => true });
    expect(result.epochsRun).toBe(12);
  });
});

describe("train-run worker handler resumes a re-run job from the last checkpoint", () => {
  const config = resolveRunConfig({ modelId: "bpr", params: { epochs: 12, factors: 8 }, feedback: "implicit", ks: [10], patience: 100, checkpointEvery: 5, seed: 9 });

  function context(attempts: number, crashAtEpoch?: number): JobContext {
    const job = { id: "job-1", name: "train-run", attempts } as JobRecord;
    return {
      job,
      workerId: "test-worker",
      async reportProgress(_progress, message) {
        if (crashAtEpoch !== undefined && message.startsWith(`epoch ${crashAtEpoch}/`)) throw new Error("worker lost");
      },
      isCancelled: () => false,
    };
  }

  it("keeps the learning curve up to the checkpoint and ends with the uninterrupted run's metrics", async () => {
    const tracking = new MemoryTrackingStore();
    const run = await tracking.createRun({ name: "resume", datasetId: "d1", modelId: "bpr", config });
    const deps = { tracking, loadDataset: async () => dataset };

    await expect(executeTrainRun(run.id, context(1, 7), deps)).rejects.toThrow("worker lost");
    const beforeRetry = await tracking.getMetricHistory(run.id);
    expect(beforeRetry["validation/ndcg@10"].map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    // Spy on the history right after the reset: only epochs up to the checkpoint survive it.
    const logged: number[][] = [];
    const original = tracking.logBatch.bind(tracking);
    tracking.logBatch = async (runId, points) => {
      logged.push([...new Set(points.map((p) => p.step))]);
      return original(runId, points);
    };
    await executeTrainRun(run.id, context(2), deps);
    expect(logged[0]).toEqual([1, 2, 3, 4, 5]);
    expect(logged.slice(1).map((steps) => steps[0])).toEqual([6, 7, 8, 9, 10, 11, 12]);

    const resumed = await tracking.getRun(run.id);
    expect(resumed?.status).toBe("SUCCEEDED");
    expect(resumed?.backend).toBe("js");
    expect(resumed?.metrics?.fit.epochsRun).toBe(12);
    const history = await tracking.getMetricHistory(run.id);
    expect(history["validation/ndcg@10"].map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

    const clean = await runExperiment(dataset, config);
    expect(resumed?.metrics?.test).toEqual(clean.test.summary);
    expect(history["validation/ndcg@10"].map((p) => p.value)).toEqual(clean.history.map((h) => h.metrics["ndcg@10"]));
  });
});
