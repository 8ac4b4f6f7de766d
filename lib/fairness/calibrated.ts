// Calibrated recommendations: Steck, "Calibrated recommendations", RecSys 2018. Each step takes
// argmax (1 − λ)·Σ_{j∈S+i} s_j − λ·KL(p_u ‖ (1 − α)·q(S+i) + α·p_u), α = 0.01, where p_u is the
// genre distribution of the user's training items and q(S+i) that of the list with i added.
// Running genre sums keep a step O(C·g): a candidate recomputes only its own genres' KL terms.
import type { z } from "zod";
import { calibrationKlTerm } from "../metrics/beyond";
import { genreProfile, type GenreVectors } from "./genres";
import { GreedyReranker, lambdaParamsSchema, type RerankerDefinition, type UserCandidates } from "./rerank-base";

export const calibratedParamsSchema = lambdaParamsSchema(
  "Weight of calibration against relevance: 0 keeps the base ranking; 1 builds the list whose genre mix is closest (KL) to the genre mix of the user's history, ignoring scores.",
);

export type CalibratedParams = z.infer<typeof calibratedParamsSchema>;

export class Calibrated extends GreedyReranker {
  private pu: Float64Array;
  /** Σ_{j∈S} p(g|j). */
  private qsum: Float64Array;
  /** Genres with p_u > 0 and their count. */
  private nz: Int32Array;
  private numNz = 0;
  private scoreSum = 0;
  /** Per genre nz[t]: its KL term with q = Σ_{j∈S} p(g|j) / (|S| + 1), i.e. for a candidate without it; and their sum. */
  private baseTerm: Float64Array;
  private baseKl = 0;

  constructor(
    private readonly lambda: number,
    private readonly genres: GenreVectors,
  ) {
    super();
    this.pu = new Float64Array(genres.numGenres);
    this.qsum = new Float64Array(genres.numGenres);
    this.nz = new Int32Array(genres.numGenres);
    this.baseTerm = new Float64Array(genres.numGenres);
  }

  protected begin(user: UserCandidates): void {
    genreProfile(this.genres, user.history, user.history.length, this.pu);
    this.numNz = 0;
    for (let g = 0; g < this.genres.numGenres; g++) if (this.pu[g] > 0) this.nz[this.numNz++] = g;
    this.qsum.fill(0);
    this.scoreSum = 0;
    this.refreshBase(1);
  }

  private refreshBase(size: number): void {
    this.baseKl = 0;
    for (let t = 0; t < this.numNz; t++) {
      const g = this.nz[t];
      this.baseTerm[t] = calibrationKlTerm(this.pu[g], this.qsum[g] / size);
      this.baseKl += this.baseTerm[t];
    }
  }

  protected gain(a: number): number {
    const { share, numGenres } = this.genres;
    const row = this.items[a] * numGenres;
    const size = this.chosen + 1;
    let kl = this.baseKl;
    for (let t = 0; t < this.numNz; t++) {
      const g = this.nz[t];
      if (share[row + g] > 0) kl += calibrationKlTerm(this.pu[g], (this.qsum[g] + share[row + g]) / size) - this.baseTerm[t];
    }
    return (1 - this.lambda) * (this.scoreSum + this.s[a]) - this.lambda * kl;
  }

  protected take(a: number, item: number): void {
    const { share, numGenres } = this.genres;
    const row = item * numGenres;
    for (let g = 0; g < numGenres; g++) this.qsum[g] += share[row + g];
    this.scoreSum += this.s[a];
    this.refreshBase(this.chosen + 2);
  }
}

export const calibratedDefinition: RerankerDefinition<typeof calibratedParamsSchema> = {
  id: "calibrated",
  displayName: "Calibrated",
  summary: "Matches each list's genre mix to the genre mix of the user's history (KL divergence).",
  paper: { authors: "H. Steck", title: "Calibrated recommendations", venue: "RecSys", year: 2018 },
  needs: ["genres"],
  objective: "kl",
  paramsSchema: calibratedParamsSchema,
  create: (params, ctx) => new Calibrated(params.lambda, ctx.genres!).rerank,
};
