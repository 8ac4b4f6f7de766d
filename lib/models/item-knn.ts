// ItemKNN: Sarwar, Karypis, Konstan & Riedl, "Item-based collaborative filtering recommendation
// algorithms", WWW 2001 — cosine / adjusted-cosine item similarities, top-k neighbours per item,
// with Bell & Koren (ICDM 2007) shrinkage of similarities built on few co-raters.
import { z } from "zod";
import { badInput } from "../errors";
import { transposeCsr } from "../datasets/csr";
import type { Csr } from "../datasets/types";
import type { FitContext, ModelDefinition, ModelState, Recommender, TrainingData } from "./types";
import { notFitted, readFloat32, readInt32 } from "./shared/state";
import { coOccurrenceWork, KNN_PARALLEL_MIN_WORK, topKSimilarities, type Neighbourhoods } from "./shared/knn-similarity";
import { threadsForWork, threadsSetting } from "../training/threads/settings";
import { itemKnnMemoryBytes } from "./memory";

export const itemKnnParamsSchema = z.object({
  neighbours: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .describe("Most similar items kept per item (k); the rest of its similarity row is dropped. Count."),
  similarity: z
    .enum(["cosine", "adjusted-cosine"])
    .default("cosine")
    .describe(
      "cosine: over the raw interaction values; adjusted-cosine: over explicit ratings centred by each user's mean rating (needs explicit feedback).",
    ),
  shrinkage: z
    .number()
    .min(0)
    .default(10)
    .describe("Shrinks a similarity towards 0 by n / (n + shrinkage), n = users who rated both items. 0 disables. Users."),
});

export type ItemKnnParams = z.infer<typeof itemKnnParamsSchema>;

class ItemKnn implements Recommender {
  private neighbours: Neighbourhoods | null = null;
  /** For scoring: row i lists the target items j that have i as a neighbour (the transpose). */
  private contributions: Csr | null = null;
  private history: { indptr: Int32Array; indices: Int32Array } | null = null;

  constructor(
    private readonly params: ItemKnnParams,
    private readonly numUsers: number,
    private readonly numItems: number,
  ) {}

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    if (this.params.similarity === "adjusted-cosine" && data.feedback !== "explicit") {
      throw badInput("params.similarity: adjusted-cosine needs explicit ratings; use cosine for implicit feedback", {
        field: "params.similarity",
      });
    }
    const byUser = this.params.similarity === "adjusted-cosine" ? centreByUserMean(data.train) : data.train;
    const threads = ctx.threads ?? threadsForWork(threadsSetting(), { work: coOccurrenceWork(byUser), minWork: KNN_PARALLEL_MIN_WORK });
    const neighbours = await topKSimilarities(byUser, this.params.neighbours, this.params.shrinkage, { threads, interrupted: ctx.interrupted });
    if (!neighbours) return; // cancelled part-way: nothing fitted
    this.neighbours = neighbours;
    this.history = { indptr: data.train.indptr, indices: data.train.indices };
    this.contributions = this.transposeNeighbours(this.neighbours);
  }

  score(users: Int32Array, out: Float32Array): void {
    const { contributions: c, history: h } = this;
    if (!c || !h) throw notFitted("ItemKNN");
    const n = this.numItems;
    out.fill(0, 0, users.length * n);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      const row = r * n;
      for (let p = h.indptr[u]; p < h.indptr[u + 1]; p++) {
        const i = h.indices[p];
        for (let q = c.indptr[i]; q < c.indptr[i + 1]; q++) out[row + c.indices[q]] += c.values[q];
      }
    }
  }

  save(): ModelState {
    const { neighbours: nb, history: h } = this;
    if (!nb || !h) throw notFitted("ItemKNN");
    return {
      json: {},
      arrays: {
        neighbourIndptr: nb.indptr,
        neighbourIndices: nb.indices,
        neighbourSimilarities: nb.values,
        historyIndptr: h.indptr,
        historyIndices: h.indices,
      },
    };
  }

  load(state: ModelState): void {
    const indptr = readInt32(state, "neighbourIndptr", this.numItems + 1);
    const nnz = indptr[this.numItems];
    this.neighbours = {
      indptr,
      indices: readInt32(state, "neighbourIndices", nnz),
      values: readFloat32(state, "neighbourSimilarities", nnz),
    };
    const historyIndptr = readInt32(state, "historyIndptr", this.numUsers + 1);
    this.history = { indptr: historyIndptr, indices: readInt32(state, "historyIndices", historyIndptr[this.numUsers]) };
    this.contributions = this.transposeNeighbours(this.neighbours);
  }

  private transposeNeighbours(nb: Neighbourhoods): Csr {
    return transposeCsr({ numRows: this.numItems, numCols: this.numItems, ...nb });
  }
}

/** A copy of `m` with each row's stored values centred on that row's mean. */
function centreByUserMean(m: Csr): Csr {
  const values = new Float32Array(m.values.length);
  for (let u = 0; u < m.numRows; u++) {
    const start = m.indptr[u], end = m.indptr[u + 1];
    if (end === start) continue;
    let sum = 0;
    for (let p = start; p < end; p++) sum += m.values[p];
    const mean = sum / (end - start);
    for (let p = start; p < end; p++) values[p] = m.values[p] - mean;
  }
  return { ...m, values };
}

export const itemKnnDefinition: ModelDefinition<typeof itemKnnParamsSchema> = {
  id: "item-knn",
  displayName: "ItemKNN",
  summary: "Scores an item by summing its similarities to the items the user already has, over its k nearest neighbours.",
  paper: {
    authors: "Badrul Sarwar, George Karypis, Joseph Konstan, John Riedl",
    title: "Item-based collaborative filtering recommendation algorithms",
    venue: "WWW",
    year: 2001,
    url: "https://doi.org/10.1145/371920.372071",
  },
  feedback: "both",
  input: "matrix",
  training: "closed-form",
  engine: "js",
  paramsSchema: itemKnnParamsSchema,
  create: (params, numUsers, numItems) => new ItemKnn(params, numUsers, numItems),
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => itemKnnMemoryBytes(params, numUsers, numItems, numInteractions),
};
