import type { SimulationEnvironment } from "./environment";
import { fitPbmRewardModel, meanWeight, opeWithIntervals, predictReward, type OpeEstimatorId } from "./ope";
import type { OpeEstimate, PositionMarginals, Slate, SlatePolicy, SlotOutcome, Visit } from "./types";

/**
 * Collects one (logging arm, target arm) pair's position-wise log during a simulated test: for
 * every slot the logging arm showed, the click, the logged propensity and the target's marginal
 * propensity of the same item at the same slot; at the end fits the reward model on the logging
 * arm's slots and returns IPS, SNIPS, DM and DR with bootstrap intervals.
 */
export class OpeCollector {
  private readonly items: number[] = [];
  private readonly slots: number[] = [];
  private readonly rewards: number[] = [];
  private readonly loggingPropensity: number[] = [];
  private readonly targetPropensity: number[] = [];
  /** The target's own item at each logged slot (−1: the target shows nothing there) and its exploration rate. */
  private readonly targetItems: number[] = [];
  private readonly targetExplore: number[] = [];
  private readonly visitStart: number[] = [0];
  /** Per visit: the items the target excluded (exclusions of visit v: [excludedStart[v], excludedStart[v + 1])) and its pool size. */
  private readonly excluded: number[] = [];
  private readonly excludedStart: number[] = [0];
  private readonly poolSize: number[] = [];
  private readonly marks: Int32Array;
  private stamp = 0;
  /** Ground-truth expected clicks and slots of the target on the logged visits (position-based model only). */
  private expectedClicks = 0;
  private expectedSlots = 0;
  /** False once a logged slate came without propensities: the arm cannot be used as a logger. */
  valid = true;

  constructor(
    private readonly env: SimulationEnvironment,
    readonly loggingArmId: string,
    readonly targetArmId: string,
    private readonly target: Required<Pick<SlatePolicy, "marginals">>,
    private readonly exam: Float64Array,
  ) {
    this.marks = new Int32Array(env.numItems);
  }

  record(visit: Visit, slate: Slate, outcomes: readonly SlotOutcome[]): void {
    if (!this.valid) return;
    const p = slate.propensities;
    if (!p) {
      this.valid = false;
      return;
    }
    const m = this.target.marginals(visit, slate.items.length);
    const stamp = ++this.stamp;
    for (const j of m.items) this.marks[j] = stamp;
    for (const j of m.excluded) this.marks[j] = stamp;
    for (let k = 0; k < slate.items.length; k++) {
      const j = slate.items[k];
      const own = k < m.items.length ? m.items[k] : -1;
      const inPool = this.marks[j] !== stamp && m.poolSize > 0;
      this.items.push(j);
      this.slots.push(k);
      this.rewards.push(outcomes[k].clicked ? 1 : 0);
      this.loggingPropensity.push(p[k]);
      this.targetPropensity.push(j === own ? 1 - m.explore : inPool ? m.explore / m.poolSize : 0);
      this.targetItems.push(own);
      this.targetExplore.push(own < 0 ? 0 : m.explore);
    }
    this.visitStart.push(this.items.length);
    if (m.explore > 0) for (const j of m.excluded) this.excluded.push(j);
    this.excludedStart.push(this.excluded.length);
    this.poolSize.push(m.poolSize);
    this.addExpected(visit.user, m);
  }

  /** Σ_k exam(k) [(1 − ε) a(items[k]) + ε · mean attraction of the pool]: the target's expected clicks on this visit. */
  private addExpected(user: number, m: PositionMarginals): void {
    if (this.env.config.examination !== "position-based" || !this.env.attractionSum) return;
    const a = this.env.attraction(user, m.items);
    let poolMean = 0;
    if (m.explore > 0 && m.poolSize > 0) {
      let shown = 0;
      for (const x of a) shown += x;
      for (const x of this.env.attraction(user, m.excluded)) shown += x;
      poolMean = (this.env.attractionSum(user) - shown) / m.poolSize;
    }
    for (let k = 0; k < m.items.length; k++) this.expectedClicks += this.exam[k] * ((1 - m.explore) * a[k] + m.explore * poolMean);
    this.expectedSlots += m.items.length;
  }

  /**
   * Two reward models, on the even and on the odd visits (cross-fitting, as Open Bandit Pipeline
   * does for DM and DR): a visit is predicted by the model that did not see its clicks, otherwise
   * an explored item's one click raises its own γ and DR leans towards the logged clicks (+1.2%
   * on an ε' = 0.5 target in the benchmark). With one visit, both halves use the same model.
   */
  private crossFittedModels(visitStart: Int32Array, rewards: Float64Array, numSlots: number) {
    const visits = visitStart.length - 1;
    const half = (parity: number) => {
      const rows: number[] = [];
      for (let v = parity; v < visits; v += 2) for (let i = visitStart[v]; i < visitStart[v + 1]; i++) rows.push(i);
      return fitPbmRewardModel(
        Int32Array.from(rows, (i) => this.items[i]),
        Int32Array.from(rows, (i) => this.slots[i]),
        Float64Array.from(rows, (i) => rewards[i]),
        this.env.numItems,
        numSlots,
      );
    };
    const even = half(0);
    return visits > 1 ? [even, half(1)] : [even, even];
  }

  /**
   * The four estimates. DM's pool term for an exploring target is exact: θ_k times the mean γ
   * over the visit's pool (every item minus the target's slate and exclusions), so DR's control
   * variate has the right expectation under the logging policy.
   */
  estimates(truth: number | null, options: { seed: number; resamples?: number }): OpeEstimate[] {
    const n = this.rewards.length;
    if (!this.valid || n === 0) return [];
    const numSlots = this.slots.reduce((m, k) => Math.max(m, k), 0) + 1; // no spread: logs hold millions of slots
    const rewards = Float64Array.from(this.rewards);
    const visitStart = Int32Array.from(this.visitStart);
    const models = this.crossFittedModels(visitStart, rewards, numSlots);
    const predicted = new Float64Array(n);
    const targetPredicted = new Float64Array(n);
    for (let v = 0; v + 1 < visitStart.length; v++) {
      const model = models[(v + 1) % 2]; // fitted on the other half of the visits
      let shownGamma = 0;
      for (let i = visitStart[v]; i < visitStart[v + 1]; i++) if (this.targetItems[i] >= 0) shownGamma += model.item[this.targetItems[i]];
      for (let e = this.excludedStart[v]; e < this.excludedStart[v + 1]; e++) shownGamma += model.item[this.excluded[e]];
      const poolGamma = this.poolSize[v] > 0 ? (model.itemSum - shownGamma) / this.poolSize[v] : 0;
      for (let i = visitStart[v]; i < visitStart[v + 1]; i++) {
        const k = this.slots[i];
        predicted[i] = predictReward(model, this.items[i], k);
        const own = this.targetItems[i];
        if (own < 0) continue;
        const e = this.targetExplore[i];
        targetPredicted[i] = (1 - e) * predictReward(model, own, k) + e * Math.min(1, model.slot[k] * poolGamma);
      }
    }
    const log = {
      rewards,
      loggingPropensity: Float64Array.from(this.loggingPropensity),
      targetPropensity: Float64Array.from(this.targetPropensity),
      predicted,
      targetPredicted,
      visitStart,
    };
    const results = opeWithIntervals(log, options);
    const expected = this.expectedSlots > 0 ? this.expectedClicks / this.expectedSlots : null;
    const support = meanWeight(log);
    return (Object.keys(results) as OpeEstimatorId[]).map((estimator) => ({
      targetArmId: this.targetArmId,
      loggingArmId: this.loggingArmId,
      estimator,
      value: results[estimator].value,
      ci: results[estimator].ci,
      truth,
      expected,
      support,
    }));
  }
}
