import type { Rng } from "../util/rng";
import type { SimulatorConfig } from "./environment";
import type { SlotOutcome } from "./types";

/**
 * The simulated user's behaviour on one slate, from the environment's config. Every slot draws
 * the same number of random numbers whatever happens (common random numbers): two arms, or two
 * configs, differ only through what they change, and slot 1 (always examined) clicks identically
 * whatever the position decay.
 */

/** exam(k) = 1 / k^η for 1-based slot k: the position-based model's examination probabilities. */
export function examinationCurve(decay: number, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) out[i] = (i + 1) ** -decay;
  return out;
}

type BehaviourConfig = Pick<
  SimulatorConfig,
  "examination" | "positionDecay" | "dwellLogMean" | "dwellPreferenceSlope" | "dwellSigma" | "conversion" | "conversionMax"
>;

/**
 * Outcomes of a slate whose items have the given attractions. Position-based: slot k is examined
 * with probability exam(k), independently. Cascade: slot 1 is examined; after an examined slot k
 * without a click the user goes on with probability exam(k + 1) / exam(k) and stops after a click.
 * Click = examined × Bernoulli(attraction); dwell log-normal with a log-mean growing with
 * attraction; conversion after a click with probability conversionMax × attraction.
 */
export function simulateSlate(config: BehaviourConfig, attraction: Float64Array, exam: Float64Array, rng: Rng): SlotOutcome[] {
  const k = attraction.length;
  const out: SlotOutcome[] = new Array(k);
  const cascade = config.examination === "cascade";
  let goingOn = true;
  for (let i = 0; i < k; i++) {
    const uExam = rng.next();
    const uClick = rng.next();
    const normal = rng.normal();
    const uConvert = rng.next();
    let examined: boolean;
    if (cascade) {
      examined = goingOn && (i === 0 || uExam < exam[i] / exam[i - 1]);
      goingOn = examined;
    } else {
      examined = uExam < exam[i];
    }
    const a = attraction[i];
    const clicked = examined && uClick < a;
    if (clicked && cascade) goingOn = false;
    const dwellSeconds = clicked ? Math.exp(config.dwellLogMean + config.dwellPreferenceSlope * a + config.dwellSigma * normal) : 0;
    const converted = clicked && config.conversion && uConvert < config.conversionMax * a;
    out[i] = { examined, clicked, dwellSeconds, converted };
  }
  return out;
}

/** P(the user comes back after a visit) = σ(returnBias + perClick · clicks + perMinute · dwell minutes). */
export function returnProbability(config: Pick<SimulatorConfig, "returnBias" | "returnPerClick" | "returnPerDwellMinute">, clicks: number, dwellSeconds: number): number {
  const logit = config.returnBias + config.returnPerClick * clicks + (config.returnPerDwellMinute * dwellSeconds) / 60;
  return 1 / (1 + Math.exp(-logit));
}
