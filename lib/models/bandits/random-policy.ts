import type { Slate, SlatePolicy, Visit } from "../../simulation/types";
import { Rng } from "../../util/rng";
import { HistoryMask } from "./slate";

/** The baseline every learner must beat: K distinct unseen items uniformly at random (propensity 1/M each). */
export class RandomPolicy implements SlatePolicy {
  private readonly rng: Rng;
  private readonly mask: HistoryMask;

  constructor(
    private readonly numItems: number,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    this.mask = new HistoryMask(numItems);
  }

  recommend(visit: Visit, k: number): Slate {
    const pool = this.mask.with(visit.history, (excluded) => Int32Array.from({ length: this.numItems }, (_, i) => i).filter((i) => !excluded[i]));
    const n = Math.min(k, pool.length);
    for (let j = 0; j < n; j++) {
      const pick = j + this.rng.int(pool.length - j);
      [pool[j], pool[pick]] = [pool[pick], pool[j]];
    }
    return { items: pool.slice(0, n), propensities: new Float64Array(n).fill(1 / pool.length) };
  }
}
