// Exposure constraint for a protected item group (the long tail), after FA*IR: Zehlike et al.,
// "FA*IR: a fair top-k ranking algorithm", CIKM 2017. Ranked group fairness with a fixed
// minimum share instead of FA*IR's binomial test: every prefix of length k (or the whole list)
// holds ⌈p·k⌉ protected items; otherwise the better of the two groups' next items, base order.
import { z } from "zod";
import { GreedyReranker, lambdaField, type RerankerDefinition, type UserCandidates } from "./rerank-base";

export const exposureConstraintParamsSchema = z.object({
  lambda: lambdaField(
    "Minimum share p of long-tail items: a list of length k holds at least ⌈p·k⌉ of them (0 keeps the base ranking; 1 puts every long-tail candidate in). When a user has too few long-tail candidates, all of them are placed, as early as the constraint asks, and the rest of the list follows the base order.",
  ),
  scope: z
    .enum(["prefix", "list"])
    .default("prefix")
    .describe(
      "prefix (FA*IR's ranked group fairness): every prefix of length j meets ⌈p·j⌉, so long-tail items are spread from the top (at any p > 0 the first item is long-tail); list: only the whole list must meet ⌈p·k⌉, long-tail items enter as late as possible, which costs less accuracy but gives them lower positions.",
    ),
});

export type ExposureConstraintParams = z.infer<typeof exposureConstraintParamsSchema>;

/** ⌈p·k⌉, robust to p·k landing a rounding error above an integer (0.3·10 = 3.0000000000000004). */
export function minimumProtected(p: number, k: number): number {
  return Math.max(0, Math.ceil(p * k - 1e-9));
}

export class ExposureConstraint extends GreedyReranker {
  private protectedSoFar = 0;
  /** Whether the next position must hold a protected item. */
  private mustProtect = false;
  /** Length of the current user's list (scope "list"). */
  private length = 0;

  constructor(
    private readonly minShare: number,
    private readonly scope: "prefix" | "list",
    private readonly tail: Uint8Array,
  ) {
    super();
  }

  protected begin(_user: UserCandidates, k: number): void {
    this.protectedSoFar = 0;
    this.length = Math.min(k, this.n);
    this.mustProtect = this.required(0);
  }

  /** Whether position `chosen` (0-based) must take a protected item. */
  private required(chosen: number): boolean {
    const missing = minimumProtected(this.minShare, this.scope === "prefix" ? chosen + 1 : this.length) - this.protectedSoFar;
    return this.scope === "prefix" ? missing > 0 : missing > 0 && missing >= this.length - chosen;
  }

  // s ∈ [0, 1], so a bonus of 2 puts every protected candidate ahead when one is required, and
  // the best of the others wins when none is left; otherwise the plain base order.
  protected gain(a: number): number {
    return this.s[a] + (this.mustProtect && this.tail[this.items[a]] ? 2 : 0);
  }

  protected take(_a: number, item: number): void {
    this.protectedSoFar += this.tail[item];
    this.mustProtect = this.required(this.chosen + 1);
  }
}

export const exposureConstraintDefinition: RerankerDefinition<typeof exposureConstraintParamsSchema> = {
  id: "exposure-constraint",
  displayName: "FA*IR exposure",
  summary: "Guarantees a minimum share of long-tail items in every list (and every prefix of it, by default).",
  paper: { authors: "M. Zehlike, F. Bonchi, C. Castillo, S. Hajian, M. Megahed, R. Baeza-Yates", title: "FA*IR: a fair top-k ranking algorithm", venue: "CIKM", year: 2017 },
  needs: ["tail"],
  objective: "aplt",
  paramsSchema: exposureConstraintParamsSchema,
  create: (params, ctx) => new ExposureConstraint(params.lambda, params.scope, ctx.tail!).rerank,
};
