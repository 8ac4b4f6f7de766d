import { describe, expect, it } from "vitest";
import { buildCsr, selectRows } from "@/lib/datasets/csr";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { evaluateRankingParallel } from "@/lib/experiments/parallel-evaluate";
import { topCandidates } from "@/lib/fairness/candidates";
import { toShared } from "@/lib/experiments/shared-memory";
import { buildBeyondContext } from "@/lib/metrics/beyond-context";
import { evaluateRanking, type RankingEvalOptions } from "@/lib/metrics/evaluate";
import { getModelDefinition } from "@/lib/models/registry";
import type { Recommender } from "@/lib/models/types";

/** Last interaction of every user is test, the rest is training. */
function setup() {
  const d = generateSynthetic({ numUsers: 400, numItems: 300, interactionsPerUser: 25, seed: 3 });
  const last = new Int32Array(d.numUsers).fill(-1);
  d.table.users.forEach((u, r) => (last[u] = r));
  const isTest = new Uint8Array(d.table.users.length);
  for (const r of last) if (r >= 0) isTest[r] = 1;
  const pick = (test: boolean) => Int32Array.from(d.table.users.keys()).filter((r) => (isTest[r] === 1) === test);
  const trainTable = selectRows(d.table, pick(false));
  const testTable = selectRows(d.table, pick(true));
  const train = buildCsr(d.numUsers, d.numItems, trainTable.users, trainTable.items);
  const test = buildCsr(d.numUsers, d.numItems, testTable.users, testTable.items);
  const options: RankingEvalOptions = {
    numItems: d.numItems,
    truth: test,
    exclude: [train],
    ks: [5, 10, 20],
    beyond: buildBeyondContext({ train, genres: d.items?.genres, itemIds: d.itemIds }),
    keepLists: true,
    candidates: 40,
    batchSize: 64,
  };
  return { d, train, trainTable, options };
}

async function fitted(modelId: string, s: ReturnType<typeof setup>): Promise<{ model: Recommender; params: Record<string, unknown> }> {
  const definition = getModelDefinition(modelId);
  const params = definition.paramsSchema.parse(modelId === "als" ? { factors: 16, epochs: 3 } : {});
  const model = definition.create(params, s.d.numUsers, s.d.numItems);
  await model.fit({ numUsers: s.d.numUsers, numItems: s.d.numItems, feedback: "implicit", train: s.train, trainTable: s.trainTable }, { seed: 1 });
  return { model, params };
}

describe("evaluateRankingParallel", () => {
  const s = setup();

  // Thread start-up (tsx + the model registry) takes seconds on a loaded machine: few cases.
  it.each([
    { modelId: "als", threadCounts: [2, 3] },
    { modelId: "item-knn", threadCounts: [2] },
  ])("gives exactly the single-threaded result for $modelId on $threadCounts threads (blocks of 64 users)", async ({ modelId, threadCounts }) => {
    const { model, params } = await fitted(modelId, s);
    const single = evaluateRanking((u, out) => model.score(u, out), s.options);
    const definition = getModelDefinition(modelId);
    const spec = { params, numUsers: s.d.numUsers, numItems: s.d.numItems };
    for (const threads of threadCounts) {
      const parallel = await evaluateRankingParallel(model, definition, spec, s.options, { threads, minScores: 0 });
      expect(parallel.summary).toEqual(single.summary);
      expect(Object.keys(parallel.perUser.values)).toEqual(Object.keys(single.perUser.values));
      for (const key of Object.keys(single.perUser.values)) {
        expect(Buffer.from(parallel.perUser.values[key].buffer).equals(Buffer.from(single.perUser.values[key].buffer))).toBe(true);
      }
      expect(Array.from(parallel.perUser.users)).toEqual(Array.from(single.perUser.users));
      expect(Array.from(parallel.lists!.items)).toEqual(Array.from(single.lists!.items));
      expect(parallel.candidates).toEqual(single.candidates);
    }
    // The candidates kept by the evaluation's pass are exactly a separate top-40 pass's, and
    // keeping them changes no metric.
    const separate = topCandidates((u, out) => model.score(u, out), single.perUser.users, s.d.numItems, s.options.exclude, 40);
    expect(single.candidates).toEqual({ size: 40, counts: separate.counts, items: separate.items, scores: separate.scores });
    expect(evaluateRanking((u, out) => model.score(u, out), { ...s.options, candidates: undefined }).summary).toEqual(single.summary);
    expect(single.numUsers).toBe(400);
    expect(single.summary["ndcg@10"]).toBeGreaterThan(0);
  }, 60_000);

  it("stays in this thread for small evaluations (same result)", async () => {
    const { model, params } = await fitted("pop", s);
    const single = evaluateRanking((u, out) => model.score(u, out), s.options);
    const result = await evaluateRankingParallel(model, getModelDefinition("pop"), { params, numUsers: s.d.numUsers, numItems: s.d.numItems }, s.options, { threads: 2 });
    expect(result.summary).toEqual(single.summary);
  });
});

describe("toShared", () => {
  it("moves typed arrays into shared memory once, keeping values and plain structure", () => {
    const a = Float32Array.of(1, 2, 3);
    const out = toShared({ a, again: a, nested: [{ b: Int32Array.of(4) }], n: 5, s: "x" });
    expect(out.a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(out.again).toBe(out.a);
    expect(Array.from(out.a)).toEqual([1, 2, 3]);
    expect(Array.from(out.nested[0].b)).toEqual([4]);
    expect(out.n).toBe(5);
    expect(out.s).toBe("x");
  });
});
