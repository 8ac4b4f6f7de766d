// MMR: Carbonell & Goldstein, "The use of MMR, diversity-based reranking for reordering
// documents and producing summaries", SIGIR 1998. Each step takes
// argmax (1 − λ)·s_i − λ·max_{j∈S} cos(g_i, g_j): relevance minus redundancy with the list so far
// (redundancy 0 while S is empty). Genre cosine; items without genres are never redundant.
import type { z } from "zod";
import { genreCosine, type GenreVectors } from "./genres";
import { GreedyReranker, grown, lambdaParamsSchema, type RerankerDefinition } from "./rerank-base";

export const mmrParamsSchema = lambdaParamsSchema(
  "Weight of diversity against relevance: 0 keeps the base ranking; 1 picks, after the top item, whichever candidate is least genre-similar (cosine) to the most similar item already chosen.",
);

export type MmrParams = z.infer<typeof mmrParamsSchema>;

export class Mmr extends GreedyReranker {
  /** max_{j∈S} cos(g_a, g_j) per candidate, updated once per chosen item: O(C·g) a step. */
  private maxSim: Float64Array = new Float64Array(0);

  constructor(
    private readonly lambda: number,
    private readonly genres: GenreVectors,
  ) {
    super();
  }

  protected begin(): void {
    this.maxSim = grown(this.maxSim, this.n);
  }

  protected gain(a: number): number {
    return (1 - this.lambda) * this.s[a] - this.lambda * (this.chosen === 0 ? 0 : this.maxSim[a]);
  }

  protected take(_a: number, item: number): void {
    const first = this.chosen === 0;
    for (let a = 0; a < this.n; a++) {
      const sim = genreCosine(this.genres, this.items[a], item);
      if (first || sim > this.maxSim[a]) this.maxSim[a] = sim;
    }
  }
}

export const mmrDefinition: RerankerDefinition<typeof mmrParamsSchema> = {
  id: "mmr",
  displayName: "MMR",
  summary: "Diversifies each list: relevance minus the highest genre similarity to the items already chosen.",
  paper: { authors: "J. Carbonell, J. Goldstein", title: "The use of MMR, diversity-based reranking for reordering documents and producing summaries", venue: "SIGIR", year: 1998 },
  needs: ["genres"],
  objective: "ild",
  paramsSchema: mmrParamsSchema,
  create: (params, ctx) => new Mmr(params.lambda, ctx.genres!).rerank,
};
