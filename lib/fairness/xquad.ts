// xQuAD over item popularity groups: Abdollahpouri, Burke & Mobasher, "Managing popularity bias
// in recommender systems with personalized re-ranking", FLAIRS 2019 (after Santos et al.'s
// xQuAD, WWW 2010). Each step takes argmax (1 − λ)·s_i + λ·Σ_{c∈{head,tail}} P(c|u)·[i∈c]·Π_{j∈S}(1 − [j∈c]),
// P(c|u) = share of u's training items in c: a group earns its bonus until the list covers it.
import type { z } from "zod";
import { GreedyReranker, lambdaParamsSchema, type RerankerDefinition, type UserCandidates } from "./rerank-base";

export const xquadParamsSchema = lambdaParamsSchema(
  "Weight of group coverage against relevance: 0 keeps the base ranking; higher values pull the best item of a not-yet-covered group (short head or long tail) forward, weighted by that group's share in the user's history. Binary coverage: it moves at most one item per group.",
);

export type XquadParams = z.infer<typeof xquadParamsSchema>;

export class Xquad extends GreedyReranker {
  /** P(head|u), P(tail|u). */
  private readonly groupShare = new Float64Array(2);
  private readonly covered = new Uint8Array(2);

  constructor(
    private readonly lambda: number,
    private readonly tail: Uint8Array,
  ) {
    super();
  }

  protected begin(user: UserCandidates): void {
    let tailCount = 0;
    for (let p = 0; p < user.history.length; p++) tailCount += this.tail[user.history[p]];
    // No history: no group preference, the base ranking.
    const pTail = user.history.length > 0 ? tailCount / user.history.length : 0;
    this.groupShare[1] = pTail;
    this.groupShare[0] = user.history.length > 0 ? 1 - pTail : 0;
    this.covered.fill(0);
  }

  protected gain(a: number): number {
    const c = this.tail[this.items[a]];
    return (1 - this.lambda) * this.s[a] + this.lambda * this.groupShare[c] * (this.covered[c] ? 0 : 1);
  }

  protected take(_a: number, item: number): void {
    this.covered[this.tail[item]] = 1;
  }
}

export const xquadDefinition: RerankerDefinition<typeof xquadParamsSchema> = {
  id: "xquad",
  displayName: "xQuAD",
  summary: "Covers the short head and the long tail in proportion to their share of the user's history.",
  paper: { authors: "H. Abdollahpouri, R. Burke, B. Mobasher", title: "Managing popularity bias in recommender systems with personalized re-ranking", venue: "FLAIRS", year: 2019 },
  needs: ["tail"],
  objective: "aplt",
  paramsSchema: xquadParamsSchema,
  create: (params, ctx) => new Xquad(params.lambda, ctx.tail!).rerank,
};
