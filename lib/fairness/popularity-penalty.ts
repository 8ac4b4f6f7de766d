// Popularity penalty: a linear, score-level long-tail re-ranker in the spirit of Steck, "Item
// popularity and recommendation accuracy", RecSys 2011 (discount popular items to trade accuracy
// for the long tail); binary xQuAD (Abdollahpouri et al. 2019, ./xquad.ts) barely moves APLT.
// argmax (1 − λ)·s_i − λ·π_i, π_i = pop(i) min-max normalised over the user's candidates.
import type { z } from "zod";
import { GreedyReranker, grown, lambdaParamsSchema, type RerankerDefinition } from "./rerank-base";

export const popularityPenaltyParamsSchema = lambdaParamsSchema(
  "Weight of the popularity penalty against relevance: 0 keeps the base ranking; 1 ranks the candidates from least to most popular (training interactions). Long-tail exposure (APLT) grows with λ.",
);

export type PopularityPenaltyParams = z.infer<typeof popularityPenaltyParamsSchema>;

export class PopularityPenalty extends GreedyReranker {
  /** π_a of the current user's candidates. */
  private penalty: Float64Array = new Float64Array(0);

  constructor(
    private readonly lambda: number,
    private readonly popularity: Float64Array,
  ) {
    super();
  }

  protected begin(): void {
    this.penalty = grown(this.penalty, this.n);
    let lo = Infinity;
    let hi = -Infinity;
    for (let a = 0; a < this.n; a++) {
      const x = this.popularity[this.items[a]];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const range = hi - lo + 1e-12;
    for (let a = 0; a < this.n; a++) this.penalty[a] = (this.popularity[this.items[a]] - lo) / range;
  }

  protected gain(a: number): number {
    return (1 - this.lambda) * this.s[a] - this.lambda * this.penalty[a];
  }

  protected take(): void {}
}

export const popularityPenaltyDefinition: RerankerDefinition<typeof popularityPenaltyParamsSchema> = {
  id: "popularity-penalty",
  displayName: "Popularity penalty",
  summary: "Trades relevance for long-tail exposure by subtracting each candidate's normalised popularity.",
  paper: { authors: "H. Steck", title: "Item popularity and recommendation accuracy", venue: "RecSys", year: 2011 },
  needs: ["popularity"],
  objective: "aplt",
  paramsSchema: popularityPenaltyParamsSchema,
  create: (params, ctx) => new PopularityPenalty(params.lambda, ctx.popularity!).rerank,
};
