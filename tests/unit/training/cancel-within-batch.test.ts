import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildCsr } from "@/lib/datasets/csr";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { resolveRunConfig, runExperiment } from "@/lib/experiments/run-experiment";
import type { JobRecord } from "@/lib/queue/types";
import type { ModelDefinition, Recommender, TrainingData } from "@/lib/models/types";
import { CANCEL_REQUEST_ARTIFACT, encodeCancelRequest } from "@/lib/tracking/cancel-request";
import { MemoryTrackingStore } from "@/lib/tracking/memory-store";
import { batchInterrupt, INTERRUPT_STEPS } from "@/lib/training/interrupt";
import { trainModel } from "@/lib/training/train-model";
import { executeTrainRun } from "@/workers/handlers/train-run";
import { rankModel } from "./support/rank-model";
import { JobCancelledError, type JobContext } from "@/workers/worker";

const NUM_ITEMS = 10;
const BATCHES = 10;

/**
 * A scripted batch model: during epoch e every batch moves the one relevant item (item 0) to rank
 * `ranks[e − 1]`, so validation NDCG@10 is 1 / log2(rank + 1). `raise(epoch, batch)` is called
 * after each batch, so a test can raise the cancel flag at an exact point.
 */
function batchModel(ranks: number[], raise: (epoch: number, batch: number) => void, batchesRun: number[]): ModelDefinition {
  return {
    id: "scripted-batches",
    displayName: "Scripted batches",
    summary: "Test double",
    feedback: "implicit",
    input: "matrix",
    training: "epochs",
    engine: "js",
    paramsSchema: z.object({}),
    create: () =>
      rankModel(NUM_ITEMS, async (setRank, ctx) => {
        for (let epoch = 1; epoch <= ranks.length; epoch++) {
          batchesRun[epoch - 1] = 0;
          for (let b = 1; b <= BATCHES; b++) {
            setRank(ranks[epoch - 1]);
            batchesRun[epoch - 1]++;
            raise(epoch, b);
            if (ctx.interrupted && (await ctx.interrupted())) return;
          }
          const decision = await ctx.onEpoch?.({ epoch, totalEpochs: ranks.length, loss: ranks[epoch - 1] });
          if (decision?.stop) return;
        }
      }),
  };
}

function fixture(): { data: TrainingData; validation: { truth: ReturnType<typeof buildCsr>; exclude: ReturnType<typeof buildCsr>[] } } {
  const none = new Int32Array(0);
  const empty = buildCsr(3, NUM_ITEMS, none, none);
  const truth = buildCsr(3, NUM_ITEMS, Int32Array.from([0, 1, 2]), Int32Array.from([0, 0, 0]));
  const table = { users: none, items: none, ratings: new Float32Array(0), timestamps: new Float64Array(0) };
  return { data: { numUsers: 3, numItems: NUM_ITEMS, feedback: "implicit", train: empty, trainTable: table }, validation: { truth, exclude: [empty] } };
}

function heldRank(model: Recommender): number {
  const out = new Float32Array(NUM_ITEMS);
  model.score(Int32Array.from([0]), out);
  return Math.round(NUM_ITEMS + 0.5 - out[0]);
}

describe("cancellation between batches", () => {
  it("lets a cancel request that arrives by I/O reach a synchronous training loop", async () => {
    let flag = false;
    setTimeout(() => (flag = true), 30);
    const check = batchInterrupt(() => flag, 5);
    const started = performance.now();
    let batches = 0;
    // A loop that never awaits anything else, like an SGD epoch: only the check yields.
    while (!(await check()) && batches < 100_000) {
      const until = performance.now() + 1;
      while (performance.now() < until);
      batches++;
    }
    expect(flag).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("stops within the batch that saw the flag, drops the unfinished epoch and restores the best one", async () => {
    const { data, validation } = fixture();
    const ranks = [6, 3, 1, 1, 1];
    const batchesRun: number[] = [];
    let cancelled = false;
    const definition = batchModel(ranks, (epoch, batch) => {
      if (epoch === 3 && batch === 4) cancelled = true;
    }, batchesRun);
    const result = await trainModel({ definition, params: {}, data, validation, seed: 1, isCancelled: () => cancelled });
    expect(batchesRun).toEqual([BATCHES, BATCHES, 4]);
    expect(result.cancelled).toBe(true);
    expect(result.epochsRun).toBe(2);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(result.bestEpoch).toBe(2);
    // Epoch 3's batches had moved the item to rank 1; the kept state is epoch 2's (rank 3).
    expect(heldRank(result.model)).toBe(3);
  });

  const dataset = generateSynthetic({ numUsers: 400, numItems: 150, seed: 7 });
  const config = (evaluateTest: boolean) => resolveRunConfig({ modelId: "bpr", params: { epochs: 30, factors: 8 }, feedback: "implicit", ks: [10], evaluateTest, patience: 50 });

  it("BPR stops inside epoch 3 and its kept model is exactly the best epoch's", async () => {
    expect(dataset.table.users.length * 0.8).toBeGreaterThan(2 * INTERRUPT_STEPS); // at least two checks per epoch
    let epochs = 0;
    let checksAfter = 0;
    const result = await runExperiment(dataset, config(false), {
      onEpoch: () => void epochs++,
      // Raised at the second check of epoch 3: part of that epoch has been trained.
      isCancelled: () => epochs >= 2 && ++checksAfter >= 2,
      evaluateOnCancel: () => true,
    });
    expect(result.cancelled).toBe(true);
    expect(result.fit.epochsRun).toBe(2);
    expect(result.history).toHaveLength(2);
    const best = result.history.find((h) => h.epoch === result.fit.bestEpoch)!;
    // Evaluated after cancelling, the kept model scores what the best epoch scored during training.
    expect(result.validation!.summary["ndcg@10"]).toBeCloseTo(best.metrics["ndcg@10"], 10);
  });

  it("a cancelled run is not evaluated unless asked", async () => {
    let epochs = 0;
    const result = await runExperiment(dataset, config(true), { onEpoch: () => void epochs++, isCancelled: () => epochs >= 1 });
    expect(result.cancelled).toBe(true);
    expect(result.test.numUsers).toBe(0);
  });

  for (const evaluateBest of [false, true]) {
    it(`a cancel that arrives after training still cancels, skipping candidates and explanations (evaluateBest ${evaluateBest})`, async () => {
      let evaluating = false;
      const result = await runExperiment(dataset, resolveRunConfig({ modelId: "bpr", params: { epochs: 3, factors: 8 }, feedback: "implicit", ks: [10] }), {
        onPhase: (phase) => void (evaluating = phase === "evaluate"),
        isCancelled: () => evaluating,
        evaluateOnCancel: () => evaluateBest,
      });
      expect(result.cancelled).toBe(true);
      expect(result.fit.epochsRun).toBe(3);
      expect(result.test.numUsers > 0).toBe(evaluateBest);
      expect(result.candidates).toBeUndefined();
      expect(result.explanations).toBeUndefined();
    });
  }

  // Closed-form fits that work in steps look at cancellation between them: ItemKNN after each block
  // of its similarity lists, EASE before each blocked step of its inverses (150 items: λ search).
  it.each(["item-knn", "ease"])("%s stops part-way through its fit: the run ends cancelled with no epoch and no evaluation", async (modelId) => {
    let checks = 0;
    const closedForm = resolveRunConfig({ modelId, params: {}, feedback: "implicit", ks: [10], evaluateTest: true });
    // Raised at the second check: the fit has done part of its work.
    const result = await runExperiment(dataset, closedForm, { isCancelled: () => ++checks >= 2, evaluateOnCancel: () => true });
    expect(result.cancelled).toBe(true);
    expect(result.fit.epochsRun).toBe(0);
    expect(result.history).toHaveLength(0);
    expect(result.test.numUsers).toBe(0);
    // Uncancelled, the same run fits and is evaluated.
    const whole = await runExperiment(dataset, closedForm, {});
    expect(whole.cancelled).toBe(false);
    expect(whole.test.numUsers).toBeGreaterThan(0);
  });

  describe("the worker handler", () => {
    const context = (isCancelled: () => boolean): JobContext => ({
      job: { id: "job-1", name: "train-run", attempts: 1 } as JobRecord,
      workerId: "test-worker",
      async reportProgress() {},
      isCancelled,
    });

    for (const evaluateBest of [true, false]) {
      it(`keeps the best epoch's test metrics with the cancelled run only when asked (evaluateBest ${evaluateBest})`, async () => {
        const tracking = new MemoryTrackingStore();
        const run = await tracking.createRun({ name: "r", datasetId: "d1", modelId: "bpr", config: config(true) });
        await tracking.saveArtifact(run.id, CANCEL_REQUEST_ARTIFACT, encodeCancelRequest({ evaluateBest }));
        let logged = 0;
        const logBatch = tracking.logBatch.bind(tracking);
        tracking.logBatch = async (id, points) => {
          if (points.some((p) => p.key.startsWith("validation/"))) logged++;
          return logBatch(id, points);
        };
        await expect(executeTrainRun(run.id, context(() => logged >= 2), { tracking, loadDataset: async () => dataset })).rejects.toBeInstanceOf(JobCancelledError);
        const stored = await tracking.getRun(run.id);
        if (evaluateBest) {
          expect(stored?.status).toBe("CANCELLED");
          expect(stored?.metrics?.fit.epochsRun).toBe(2);
          expect(stored?.metrics?.test["ndcg@10"]).toBeGreaterThan(0);
        } else {
          expect(stored?.metrics ?? null).toBeNull();
        }
        expect((await tracking.getMetricHistory(run.id))["validation/ndcg@10"]).toHaveLength(2);
      });
    }
  });
});
