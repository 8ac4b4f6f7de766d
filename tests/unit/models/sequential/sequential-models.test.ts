import { describe, expect, it } from "vitest";
import { evaluateRanking } from "@/lib/metrics/evaluate";
import { getModelDefinition } from "@/lib/models/registry";
import type { Recommender, TrainingData } from "@/lib/models/types";
import { loadTensorflow } from "@/lib/training/tf-backend";
import { chainTask } from "./chain-task";

const TINY: Record<string, Record<string, unknown>> = {
  sasrec: { factors: 16, maxLen: 8, blocks: 1, epochs: 30, batchSize: 32, learningRate: 0.01, dropout: 0.1 },
  gru4rec: { factors: 16, hidden: 16, maxLen: 8, epochs: 30, batchSize: 16, learningRate: 0.01, dropout: 0 },
  caser: { factors: 16, window: 3, horizontalFilters: 4, verticalFilters: 2, epochs: 30, batchSize: 64, learningRate: 0.01, dropout: 0.1 },
};

async function fit(id: string, data: TrainingData, seed = 1): Promise<Recommender> {
  const definition = getModelDefinition(id);
  const model = definition.create(definition.paramsSchema.parse(TINY[id]), data.numUsers, data.numItems);
  await model.fit(data, { seed });
  return model;
}

function ndcg(model: Recommender, data: TrainingData, truth: TrainingData["train"]): number {
  return evaluateRanking((u, out) => model.score(u, out), { numItems: data.numItems, truth, exclude: [], ks: [5], metrics: ["ndcg"] }).summary["ndcg@5"];
}

describe.each(Object.keys(TINY))("sequential model %s", (id) => {
  it("beats popularity on a chain-walking leave-one-out task, and repeats itself for the same seed", async () => {
    const { data, truth } = chainTask();
    const model = await fit(id, data);
    const pop = await (async () => {
      const d = getModelDefinition("pop");
      const m = d.create(d.paramsSchema.parse({}), data.numUsers, data.numItems);
      await m.fit(data, { seed: 1 });
      return m;
    })();
    const seqNdcg = ndcg(model, data, truth);
    expect(seqNdcg).toBeGreaterThan(ndcg(pop, data, truth) + 0.2);
    const again = await fit(id, data);
    const a = new Float32Array(3 * data.numItems), b = new Float32Array(3 * data.numItems);
    model.score(Int32Array.from([0, 1, 2]), a);
    again.score(Int32Array.from([0, 1, 2]), b);
    expect(b).toEqual(a);

    // observe(): one more item x in user 0's history makes x + 1 (the chain's next step) rank higher.
    const x = (truth.indices[truth.indptr[0]] + 5) % data.numItems, next = (x + 1) % data.numItems;
    const rankOf = (scores: Float32Array, item: number) => scores.filter((s) => s > scores[item]).length;
    const before = new Float32Array(data.numItems), after = new Float32Array(data.numItems);
    model.score(Int32Array.from([0]), before);
    model.observe!({ users: Int32Array.from([0]), items: Int32Array.from([x]), ratings: Float32Array.from([1]), timestamps: Float64Array.from([100]) });
    model.score(Int32Array.from([0]), after);
    expect(rankOf(after, next)).toBeLessThan(rankOf(before, next));
    expect(rankOf(after, next)).toBeLessThan(3);
  }, 30_000);
});

describe("SASRec attention is causal", () => {
  it("changing a later item leaves the outputs at earlier positions unchanged", async () => {
    const { tf } = await loadTensorflow();
    const { data } = chainTask(10, 12, 6);
    const model = (await fit("sasrec", { ...data }, 2)) as unknown as { forward(tf: unknown, tokens: unknown, rng: null): import("@tensorflow/tfjs").Tensor };
    const a = tf.tensor2d([[0, 0, 3, 4, 5, 6, 7, 8]], [1, 8], "int32");
    const b = tf.tensor2d([[0, 0, 3, 4, 5, 11, 2, 9]], [1, 8], "int32");
    const ha = model.forward(tf, a, null), hb = model.forward(tf, b, null);
    const early = (h: import("@tensorflow/tfjs").Tensor) => Array.from(h.slice([0, 0, 0], [1, 5, -1]).dataSync());
    expect(early(hb)).toEqual(early(ha));
    expect(Array.from(hb.slice([0, 5, 0], [1, 1, -1]).dataSync())).not.toEqual(Array.from(ha.slice([0, 5, 0], [1, 1, -1]).dataSync()));
    tf.dispose([a, b, ha, hb]);
  }, 30_000);
});
