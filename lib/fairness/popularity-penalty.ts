// Popularity penalty, the score-level long-tail re-ranker of Abdollahpouri, Burke & Mobasher,
// "Managing popularity bias in recommender systems with personalized re-ranking", FLAIRS 2019
// (their baseline family; cf. Steck, "Item popularity and recommendation accuracy", RecSys 2011):
// argmax (1 − λ)·s_i − λ·π_i, π_i = pop(i) min-max normalised over the user's candidates.
import type { z } from "zod";
import { GreedyReranker, grown, lambdaParamsSchema, type RerankerDefinition, type UserCandidates } from "./rerank-base";

export const popularityPenaltyParamsSchema = lambdaParamsSchema(
  "Weight of the popularity penalty against relevance: 0 keeps the base ranking; 1 ranks the candidates from least to most popular (training interactions). Raises long-tail exposure (APLT) steadily with λ.",
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

  protected begin(user: UserCandidates): void {
    this.penalty = grown(this.penalty, this.n);
    let lo = Infinity;
    let hi = -Infinity;
    for (let a = 0; a < this.n; a++) {
      const x = this.popularity[user.items[a]];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const range = hi - lo + 1e-12;
    for (let a = 0; a < this.n; a++) this.penalty[a] = (this.popularity[user.items[a]] - lo) / range;
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
  paper: { authors: "H. Abdollahpouri, R. Burke, B. Mobasher", title: "Managing popularity bias in recommender systems with personalized re-ranking", venue: "FLAIRS", year: 2019 },
  needs: ["popularity"],
  objective: "aplt",
  paramsSchema: popularityPenaltyParamsSchema,
  create: (params, ctx) => new PopularityPenalty(params.lambda, ctx.popularity!).rerank,
};
