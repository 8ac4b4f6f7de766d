import type { Slate, SlatePolicy, SlotOutcome, Visit } from "../../simulation/types";
import { Rng } from "../../util/rng";
import { exploreSlots, HistoryMask, topItems } from "./slate";

export interface EpsilonGreedyOptions {
  numItems: number;
  epsilon: number;
  /** Prior mean reward of each item (a constant 1 is optimistic: unseen items look perfect). */
  priorMean: Float64Array;
  /** Pseudo-observations the prior counts as. */
  priorWeight: number;
  seed: number;
}

/**
 * ε-greedy over per-item mean click rates (non-contextual): the greedy slate is the K items of
 * highest posterior-mean CTR (prior·w + clicks) / (w + examinations), and each slot is swapped for
 * a random unseen item with probability ε (exact propensities, see exploreSlots). Learns from
 * examined slots only, as the linear bandits do.
 */
export class EpsilonGreedyPolicy implements SlatePolicy {
  private readonly clicks: Float64Array;
  private readonly pulls: Float64Array;
  private readonly means: Float64Array;
  private readonly mask: HistoryMask;
  private readonly rng: Rng;

  constructor(private readonly o: EpsilonGreedyOptions) {
    this.clicks = new Float64Array(o.numItems);
    this.pulls = new Float64Array(o.numItems);
    this.means = Float64Array.from(o.priorMean);
    this.mask = new HistoryMask(o.numItems);
    this.rng = new Rng(o.seed);
  }

  recommend(visit: Visit, k: number): Slate {
    return this.mask.with(visit.history, (excluded) => exploreSlots(topItems(this.means, excluded, k), excluded, this.o.epsilon, this.rng));
  }

  observe(_visit: Visit, slate: Slate, outcomes: readonly SlotOutcome[]): void {
    const { priorMean, priorWeight } = this.o;
    outcomes.forEach((outcome, slot) => {
      if (!outcome.examined) return;
      const item = slate.items[slot];
      this.pulls[item]++;
      if (outcome.clicked) this.clicks[item]++;
      this.means[item] = (priorMean[item] * priorWeight + this.clicks[item]) / (priorWeight + this.pulls[item]);
    });
  }
}
