// Exposure constraint for a protected item group (the long tail), after FA*IR: Zehlike et al.,
// "FA*IR: a fair top-k ranking algorithm", CIKM 2017. Ranked group fairness with a fixed
// minimum share instead of FA*IR's binomial test: every prefix of length k holds at least
// ⌈p·k⌉ protected items, each group kept in base order, the better head taken when free.
import type { z } from "zod";
import { GreedyReranker, lambdaParamsSchema, type RerankerDefinition } from "./rerank-base";

export const exposureConstraintParamsSchema = lambdaParamsSchema(
  "Minimum share p of long-tail items: every prefix of length k of the list holds at least ⌈p·k⌉ of them (0 keeps the base ranking; 1 puts every long-tail candidate first). When a user has too few long-tail candidates, all of them are placed, as early as the constraint asks, and the rest of the list follows the base order.",
);

export type ExposureConstraintParams = z.infer<typeof exposureConstraintParamsSchema>;

/** ⌈p·k⌉, robust to p·k landing a rounding error above an integer (0.3·10 = 3.0000000000000004). */
export function minimumProtected(p: number, k: number): number {
  return Math.max(0, Math.ceil(p * k - 1e-9));
}

export class ExposureConstraint extends GreedyReranker {
  private protectedSoFar = 0;
  /** Whether the next position must hold a protected item. */
  private mustProtect = false;

  constructor(
    private readonly minShare: number,
    private readonly tail: Uint8Array,
  ) {
    super();
  }

  protected begin(): void {
    this.protectedSoFar = 0;
    this.mustProtect = minimumProtected(this.minShare, 1) > 0;
  }

  // s ∈ [0, 1], so a bonus of 2 puts every protected candidate ahead when one is required, and
  // the best of the others wins when none is left; otherwise the plain base order.
  protected gain(a: number): number {
    return this.s[a] + (this.mustProtect && this.tail[this.items[a]] ? 2 : 0);
  }

  protected take(_a: number, item: number): void {
    this.protectedSoFar += this.tail[item];
    this.mustProtect = minimumProtected(this.minShare, this.chosen + 2) > this.protectedSoFar;
  }
}

export const exposureConstraintDefinition: RerankerDefinition<typeof exposureConstraintParamsSchema> = {
  id: "exposure-constraint",
  displayName: "FA*IR exposure",
  summary: "Guarantees a minimum share of long-tail items in every prefix of every list.",
  paper: { authors: "M. Zehlike, F. Bonchi, C. Castillo, S. Hajian, M. Megahed, R. Baeza-Yates", title: "FA*IR: a fair top-k ranking algorithm", venue: "CIKM", year: 2017 },
  needs: ["tail"],
  objective: "aplt",
  paramsSchema: exposureConstraintParamsSchema,
  create: (params, ctx) => new ExposureConstraint(params.lambda, ctx.tail!).rerank,
};
