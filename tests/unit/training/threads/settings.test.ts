import { describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { splitDataset } from "@/lib/datasets/splits";
import { prepareSplit } from "@/lib/experiments/prepare-data";
import { evaluationThreads } from "@/lib/experiments/parallel-evaluate";
import { bprDefinition } from "@/lib/models/bpr";
import { BPR_PARALLEL_MIN_TRIPLES } from "@/lib/models/shared/bpr-parallel";
import { sasrecDefinition, SASREC_PARALLEL_MIN_FLOPS } from "@/lib/models/sasrec";
import { threadsForWork, threadsSetting } from "@/lib/training/threads/settings";
import { trainModel } from "@/lib/training/train-model";

describe("threadsSetting", () => {
  it.each([
    ["RECLAB_THREADS wins", { RECLAB_THREADS: "3", RECLAB_WORKERS_PER_MACHINE: "4" }, 8, 3],
    ["unset: every core", {}, 8, 8],
    ["blank counts as unset", { RECLAB_THREADS: " " }, 2, 2],
    ["cores shared among the workers on the machine", { RECLAB_WORKERS_PER_MACHINE: "3" }, 8, 2],
    ["never below one thread", { RECLAB_WORKERS_PER_MACHINE: "4" }, 2, 1],
  ])("%s", (_label, env, cores, expected) => {
    expect(threadsSetting(env, cores)).toBe(expected);
  });

  it("names the variable when it is not a whole number ≥ 1", () => {
    expect(() => threadsSetting({ RECLAB_THREADS: "0" }, 2)).toThrow(/RECLAB_THREADS must be a whole number/);
    expect(() => threadsSetting({ RECLAB_WORKERS_PER_MACHINE: "two" }, 2)).toThrow(/RECLAB_WORKERS_PER_MACHINE must be a whole number/);
  });

  it("is evaluation's default too, so workers sharing a machine share it there as well", () => {
    expect(evaluationThreads({ RECLAB_THREADS: "3" })).toBe(3);
    expect(evaluationThreads({ RECLAB_THREADS: "3", RECLAB_EVAL_THREADS: "2" })).toBe(2);
  });
});

describe("threads only above a fit's work threshold", () => {
  it("threadsForWork gives the allowed count from the threshold on, one thread below it and without a size", () => {
    expect(threadsForWork(4, { work: 10, minWork: 10 })).toBe(4);
    expect(threadsForWork(4, { work: 9, minWork: 10 })).toBe(1);
    expect(threadsForWork(4, null)).toBe(1);
  });

  it("puts ml-100k-sized BPR and SASRec fits above their thresholds and unit-test fixtures below", () => {
    const ml100k = { numUsers: 943, numItems: 1682, numInteractions: 80_000 };
    const fixture = { numUsers: 120, numItems: 80, numInteractions: 2_000 };
    const bpr = bprDefinition.paramsSchema.parse({});
    const sasrec = sasrecDefinition.paramsSchema.parse({});
    expect(bprDefinition.parallelFit!(bpr, ml100k).work).toBeGreaterThanOrEqual(BPR_PARALLEL_MIN_TRIPLES);
    expect(bprDefinition.parallelFit!(bpr, fixture).work).toBeLessThan(BPR_PARALLEL_MIN_TRIPLES);
    expect(sasrecDefinition.parallelFit!(sasrec, ml100k).work).toBeGreaterThanOrEqual(SASREC_PARALLEL_MIN_FLOPS);
    const tiny = sasrecDefinition.paramsSchema.parse({ factors: 16, maxLen: 8, blocks: 1, epochs: 30 });
    expect(sasrecDefinition.parallelFit!(tiny, fixture).work).toBeLessThan(SASREC_PARALLEL_MIN_FLOPS);
  });

  it("a small fit with the default setting records the one thread it ran on", async () => {
    const dataset = generateSynthetic({ numUsers: 60, numItems: 40, seed: 2 });
    const split = splitDataset(dataset.table, dataset.numUsers, { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 1 });
    const data = prepareSplit(dataset, split, "implicit").train;
    const trained = await trainModel({ definition: bprDefinition, params: { epochs: 2, factors: 4 }, data, seed: 1 });
    expect(trained.threads).toBe(1);
  });
});
