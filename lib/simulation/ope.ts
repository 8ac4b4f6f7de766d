import { quantile } from "../stats/bootstrap";
import { Rng } from "../util/rng";

/**
 * Off-policy estimators of a target policy's CTR from a logging policy's slates, position-wise:
 * every slot is one decision with its marginal propensity (the probability that the logged item
 * is shown at that slot). Under the position-based model a slot's click probability depends on
 * the slot and the item only, so the per-slot estimators below are unbiased for the target's
 * expected clicks per impression (Li, Kim & Zitouni, "Offline evaluation of ranking policies
 * with click models", KDD 2018) whenever the target's marginals are covered by the logger's.
 *
 *   IPS   = (1/n) Σ w_i r_i,                       w_i = π_target(i) / π_logging(i)
 *   SNIPS = Σ w_i r_i / Σ w_i                      (Swaminathan & Joachims, NeurIPS 2015)
 *   DM    = (1/n) Σ q_i,                           q_i = Σ_j π_target(j at slot i) r̂(j, slot i)
 *   DR    = (1/n) Σ [q_i + w_i (r_i − r̂_i)]       (Dudík, Langford & Li, ICML 2011)
 *
 * Intervals: percentile bootstrap over visits (the slots of one visit share a user and are
 * resampled together), seeded.
 */

/** One row per logged slot (parallel arrays); the slots of a visit are contiguous. */
export interface PositionwiseLog {
  /** Observed reward of the slot (1 = click). */
  rewards: Float64Array;
  /** Probability that the logging policy showed the logged item at this slot. */
  loggingPropensity: Float64Array;
  /** Probability that the target policy shows the logged item at this slot. */
  targetPropensity: Float64Array;
  /** Reward model r̂ of the logged item at this slot (DR's control variate). */
  predicted: Float64Array;
  /** The target's modelled reward at this slot, Σ_j π_target(j) r̂(j, slot) (DM's term). */
  targetPredicted: Float64Array;
  /** Visit v owns slots [visitStart[v], visitStart[v + 1]); length visits + 1. */
  visitStart: Int32Array;
}

export type OpeEstimatorId = "IPS" | "SNIPS" | "DM" | "DR";
export const OPE_ESTIMATORS: readonly OpeEstimatorId[] = ["IPS", "SNIPS", "DM", "DR"];

/** Per-visit sums: the sufficient statistics of every estimator (and of its bootstrap). */
interface VisitSums {
  slots: Float64Array;
  weightedReward: Float64Array;
  weight: Float64Array;
  dm: Float64Array;
  dr: Float64Array;
}

function visitSums(log: PositionwiseLog): VisitSums {
  const visits = log.visitStart.length - 1;
  const sums: VisitSums = {
    slots: new Float64Array(visits),
    weightedReward: new Float64Array(visits),
    weight: new Float64Array(visits),
    dm: new Float64Array(visits),
    dr: new Float64Array(visits),
  };
  for (let v = 0; v < visits; v++) {
    for (let i = log.visitStart[v]; i < log.visitStart[v + 1]; i++) {
      const w = log.targetPropensity[i] / log.loggingPropensity[i];
      sums.slots[v]++;
      sums.weightedReward[v] += w * log.rewards[i];
      sums.weight[v] += w;
      sums.dm[v] += log.targetPredicted[i];
      sums.dr[v] += log.targetPredicted[i] + w * (log.rewards[i] - log.predicted[i]);
    }
  }
  return sums;
}

/** The four estimates from (possibly resampled) visit totals. */
function fromTotals(slots: number, weightedReward: number, weight: number, dm: number, dr: number): Record<OpeEstimatorId, number> {
  return {
    IPS: weightedReward / slots,
    SNIPS: weight > 0 ? weightedReward / weight : NaN,
    DM: dm / slots,
    DR: dr / slots,
  };
}

const total = (a: Float64Array) => a.reduce((s, x) => s + x, 0);

/** IPS, SNIPS, DM and DR point estimates. */
export function opePointEstimates(log: PositionwiseLog): Record<OpeEstimatorId, number> {
  checkLog(log);
  const s = visitSums(log);
  return fromTotals(total(s.slots), total(s.weightedReward), total(s.weight), total(s.dm), total(s.dr));
}

export const ips = (log: PositionwiseLog) => opePointEstimates(log).IPS;
export const snips = (log: PositionwiseLog) => opePointEstimates(log).SNIPS;
export const directMethod = (log: PositionwiseLog) => opePointEstimates(log).DM;
export const doublyRobust = (log: PositionwiseLog) => opePointEstimates(log).DR;

export interface OpeResult {
  value: number;
  ci: [number, number];
}

/** Mean importance weight over the slots (≈ 1 under full support; see OpeEstimate.support). */
export function meanWeight(log: PositionwiseLog): number {
  let w = 0;
  for (let i = 0; i < log.rewards.length; i++) w += log.targetPropensity[i] / log.loggingPropensity[i];
  return log.rewards.length > 0 ? w / log.rewards.length : NaN;
}

/**
 * Every estimator with its percentile bootstrap interval: `resamples` resamples of the visits
 * with replacement (seeded; same log and seed, same intervals).
 */
export function opeWithIntervals(log: PositionwiseLog, options: { resamples?: number; level?: number; seed: number }): Record<OpeEstimatorId, OpeResult> {
  checkLog(log);
  const resamples = options.resamples ?? 500;
  const level = options.level ?? 0.95;
  const s = visitSums(log);
  const point = fromTotals(total(s.slots), total(s.weightedReward), total(s.weight), total(s.dm), total(s.dr));
  const visits = s.slots.length;
  const draws = Object.fromEntries(OPE_ESTIMATORS.map((e) => [e, new Float64Array(resamples)])) as Record<OpeEstimatorId, Float64Array>;
  const rng = new Rng(options.seed);
  for (let b = 0; b < resamples; b++) {
    let slots = 0, wr = 0, w = 0, dm = 0, dr = 0;
    for (let i = 0; i < visits; i++) {
      const v = rng.int(visits);
      slots += s.slots[v];
      wr += s.weightedReward[v];
      w += s.weight[v];
      dm += s.dm[v];
      dr += s.dr[v];
    }
    const e = fromTotals(slots, wr, w, dm, dr);
    for (const id of OPE_ESTIMATORS) draws[id][b] = e[id];
  }
  const out = {} as Record<OpeEstimatorId, OpeResult>;
  for (const id of OPE_ESTIMATORS) {
    const sorted = draws[id].sort();
    out[id] = { value: point[id], ci: [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)] };
  }
  return out;
}

function checkLog(log: PositionwiseLog): void {
  const n = log.rewards.length;
  for (const [name, a] of Object.entries({ loggingPropensity: log.loggingPropensity, targetPropensity: log.targetPropensity, predicted: log.predicted, targetPredicted: log.targetPredicted })) {
    if (a.length !== n) throw new RangeError(`${name} has ${a.length} entries, rewards ${n}`);
  }
  if (log.visitStart.length < 2 || log.visitStart[0] !== 0 || log.visitStart[log.visitStart.length - 1] !== n) throw new RangeError("visitStart must run from 0 to the number of slots");
  for (let i = 0; i < n; i++) if (!(log.loggingPropensity[i] > 0)) throw new RangeError(`slot ${i}: logging propensity must be positive, got ${log.loggingPropensity[i]}`);
}

/**
 * The direct method's reward model: a position-based factorisation r̂(j, k) = θ_k · γ_j fitted on
 * the logs by alternating ratio updates (the maximum-likelihood direction of the PBM click model,
 * Chuklin, Markov & de Rijke, "Click Models for Web Search", 2015, ch. 4), with each item's γ
 * shrunk towards 1 by `prior` expected clicks so rarely shown items get the slot average. It
 * needs nothing but the logs (any logging arm), and it ignores the user: for a personalised
 * target it is biased — the classic weakness of DM that DR's correction removes.
 */
export interface PbmRewardModel {
  /** θ_k: clicks per impression at slot k for an item of γ = 1. */
  slot: Float64Array;
  /** γ_j: item j's click propensity relative to the average item (1 for an item never shown). */
  item: Float64Array;
  /** Σ_j γ_j over every item (for the pool term of exploring targets). */
  itemSum: number;
}

export function fitPbmRewardModel(
  items: Int32Array,
  slots: Uint8Array | Int32Array,
  rewards: Float64Array,
  numItems: number,
  numSlots: number,
  options: { prior?: number; iterations?: number } = {},
): PbmRewardModel {
  const prior = options.prior ?? 2;
  const iterations = options.iterations ?? 10;
  const n = rewards.length;
  const slot = new Float64Array(numSlots);
  const item = new Float64Array(numItems).fill(1);
  const slotClicks = new Float64Array(numSlots);
  const itemClicks = new Float64Array(numItems);
  for (let i = 0; i < n; i++) {
    slotClicks[slots[i]] += rewards[i];
    itemClicks[items[i]] += rewards[i];
  }
  const slotMass = new Float64Array(numSlots);
  const itemMass = new Float64Array(numItems);
  for (let it = 0; it < iterations; it++) {
    slotMass.fill(0);
    for (let i = 0; i < n; i++) slotMass[slots[i]] += item[items[i]];
    for (let k = 0; k < numSlots; k++) slot[k] = slotMass[k] > 0 ? slotClicks[k] / slotMass[k] : 0;
    itemMass.fill(0);
    for (let i = 0; i < n; i++) itemMass[items[i]] += slot[slots[i]];
    for (let j = 0; j < numItems; j++) item[j] = (itemClicks[j] + prior) / (itemMass[j] + prior);
  }
  let itemSum = 0;
  for (let j = 0; j < numItems; j++) itemSum += item[j];
  return { slot, item, itemSum };
}

/** r̂(j, k), clipped to [0, 1]. */
export function predictReward(model: PbmRewardModel, item: number, slot: number): number {
  return Math.min(1, model.slot[slot] * model.item[item]);
}
