import { Rng } from "../util/rng";
import type { SimulationEnvironment } from "./environment";
import { OpeCollector } from "./ope-collector";
import { emptyArmTotals, type ArmTotals, type OpeEstimate, type SlatePolicy, type Visit } from "./types";
import { returnProbability, simulateSlate } from "./user-model";

export interface AbArmSpec {
  armId: string;
  label: string;
  policy: SlatePolicy;
}

export interface AbSimulationOptions {
  users: number;
  sessionsPerUser: number;
  slateSize: number;
  /** Assignment weights per arm (normalised), e.g. [1, 1]. */
  ratio: number[];
  seed: number;
}

export interface AbSimulationResult {
  totals: ArmTotals[];
  /** CTR by slot position per arm (row per arm), for the position chart. */
  positionCtr: number[][];
  /** Off-policy estimates of every other arm from each stochastic arm's logs. */
  ope: OpeEstimate[];
  /** The normalised assignment ratio the visitors were drawn with (parallel to the arms). */
  ratio?: number[];
}

/** Work between yields to the event loop (so a job's heartbeat and cancellation keep running). */
const YIELD_EVERY_MS = 100;
/** Bootstrap resamples of each off-policy estimate. */
const OPE_RESAMPLES = 500;

/**
 * A simulated A/B test. `users` visitors are drawn from the environment's users (with
 * replacement) and assigned to arms at random in the given ratio; then, in rounds (a round is a
 * "day": every visitor still active visits once), each visitor is shown its arm's slate of
 * `slateSize` items and reacts (examination, clicks, dwell, conversion: ./user-model.ts); after
 * every visit the visitor returns with a probability growing with that visit's clicks and dwell,
 * up to `sessionsPerUser` visits; a visitor who leaves stops visiting. Online learners `observe()`
 * every visit. Each visit draws from its own random stream (seeded by visitor and session), so
 * arms do not share randomness through the order of visits, and memory stays O(users) numbers.
 * Same environment, policies and seed: same result.
 */
export async function simulateAbTest(
  env: SimulationEnvironment,
  arms: AbArmSpec[],
  options: AbSimulationOptions,
  hooks: { onProgress?: (done: number, total: number) => void | Promise<void>; signal?: AbortSignal } = {},
): Promise<AbSimulationResult> {
  const ratio = checkOptions(arms, options);
  hooks.signal?.throwIfAborted();
  const { users, sessionsPerUser: sessions, slateSize: k, seed } = options;
  const master = new Rng(seed);
  const profile = new Int32Array(users);
  const armOf = new Int32Array(users);
  const slotOf = new Int32Array(users); // index of the visitor within its arm's totals
  const perArm = new Int32Array(arms.length);
  const visitorSeed = new Uint32Array(users); // each visit draws from its own stream, seeded by (visitor, session)
  for (let v = 0; v < users; v++) {
    profile[v] = master.int(env.numUsers);
    armOf[v] = pickArm(ratio, master.next());
    slotOf[v] = perArm[armOf[v]]++;
    visitorSeed[v] = Math.floor(master.next() * 4294967296);
  }
  const totals = arms.map((arm, a) => emptyArmTotals(arm.armId, arm.label, perArm[a], env.numItems));
  const shown = arms.map(() => new Uint8Array(env.numItems));
  const positionClicks = arms.map(() => new Float64Array(k));
  const positionImpressions = arms.map(() => new Float64Array(k));
  const exam = env.examination(k);
  const collectors = opeCollectors(env, arms, exam);
  const clicked: (number[] | undefined)[] = new Array(users); // allocated at a visitor's first click
  const active = new Uint8Array(users).fill(1);
  const total = users * sessions;
  let last = performance.now();

  for (let s = 0; s < sessions; s++) {
    for (let v = 0; v < users; v++) {
      if (performance.now() - last >= YIELD_EVERY_MS) {
        await hooks.onProgress?.(s * users + v, total);
        await new Promise((resolve) => setImmediate(resolve));
        hooks.signal?.throwIfAborted();
        last = performance.now();
      }
      if (!active[v]) continue;
      const a = armOf[v];
      const arm = arms[a];
      const visit: Visit = { user: profile[v], visitor: v, session: s, history: historyOf(env, profile[v], clicked[v]) };
      const slate = arm.policy.recommend(visit, k);
      checkSlate(slate.items, k, env.numItems, arm.armId);
      const rng = new Rng(visitorSeed[v] ^ Math.imul(s + 1, 0x9e3779b1));
      const outcomes = simulateSlate(env.config, env.attraction(visit.user, slate.items), exam, rng);
      const t = totals[a];
      const i = slotOf[v];
      let clicks = 0, dwell = 0;
      t.visits[i]++;
      t.impressions[i] += slate.items.length;
      for (let p = 0; p < slate.items.length; p++) {
        const o = outcomes[p];
        shown[a][slate.items[p]] = 1;
        positionImpressions[a][p]++;
        if (!o.clicked) continue;
        clicks++;
        dwell += o.dwellSeconds;
        positionClicks[a][p]++;
        if (o.converted) t.conversions[i]++;
        (clicked[v] ??= []).push(slate.items[p]);
      }
      t.clicks[i] += clicks;
      t.dwellSeconds[i] += dwell;
      for (const c of collectors[a]) c.record(visit, slate, outcomes);
      arm.policy.observe?.(visit, slate, outcomes);
      // The return decision is drawn after every visit, the last one too, so the return rate is defined for 1-visit tests.
      const comesBack = rng.next() < returnProbability(env.config, clicks, dwell);
      if (s === 0 && comesBack) t.returned[i] = 1;
      if (!comesBack) active[v] = 0;
    }
  }
  await hooks.onProgress?.(total, total);

  for (let a = 0; a < arms.length; a++) {
    let distinct = 0;
    for (const x of shown[a]) distinct += x;
    totals[a].distinctItemsShown = distinct;
  }
  const ctrOf = (a: number) => {
    const c = totals[a].clicks.reduce((s, x) => s + x, 0);
    const n = totals[a].impressions.reduce((s, x) => s + x, 0);
    return n > 0 ? c / n : null;
  };
  const ope = collectors.flat().flatMap((c, i) => c.estimates(ctrOf(arms.findIndex((arm) => arm.armId === c.targetArmId)), { seed: seed + 7919 * (i + 1), resamples: OPE_RESAMPLES }));
  const positionCtr = arms.map((_, a) => Array.from(positionClicks[a], (c, p) => (positionImpressions[a][p] > 0 ? c / positionImpressions[a][p] : 0)));
  return { totals, positionCtr, ope, ratio };
}

/** Validates the options; returns the normalised ratio. */
function checkOptions(arms: AbArmSpec[], o: AbSimulationOptions): number[] {
  if (arms.length < 1) throw new RangeError("an A/B simulation needs at least one arm");
  if (new Set(arms.map((a) => a.armId)).size !== arms.length) throw new RangeError("arm ids must be distinct");
  for (const [name, value] of [["users", o.users], ["sessionsPerUser", o.sessionsPerUser], ["slateSize", o.slateSize]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (o.ratio.length !== arms.length) throw new RangeError(`ratio has ${o.ratio.length} weights for ${arms.length} arms`);
  const sum = o.ratio.reduce((s, x) => s + x, 0);
  if (o.ratio.some((x) => !(x >= 0 && Number.isFinite(x))) || !(sum > 0)) throw new RangeError("ratio weights must be non-negative with a positive sum");
  return o.ratio.map((x) => x / sum);
}

/** A policy's slate must hold at most k catalogue items (a bug in an arm fails the test loudly). */
function checkSlate(items: Int32Array, k: number, numItems: number, armId: string): void {
  if (items.length > k) throw new RangeError(`arm ${armId} returned ${items.length} items for a ${k}-slot slate`);
  for (const j of items) if (!(j >= 0 && j < numItems)) throw new RangeError(`arm ${armId} returned item ${j}, outside the catalogue [0, ${numItems})`);
}

function pickArm(ratio: number[], u: number): number {
  let acc = 0;
  for (let a = 0; a < ratio.length; a++) {
    acc += ratio[a];
    if (u < acc) return a;
  }
  return ratio.length - 1;
}

/** The visit's history: the user's dataset interactions, then the visitor's clicks in the test. */
function historyOf(env: SimulationEnvironment, user: number, clicks: number[] | undefined): Int32Array {
  const base = env.history?.(user) ?? new Int32Array(0);
  if (!clicks) return base;
  const out = new Int32Array(base.length + clicks.length);
  out.set(base);
  out.set(clicks, base.length);
  return out;
}

/**
 * For every arm, a collector per other arm that has a fixed slate distribution (marginals): the
 * arm's logs are used when its slates carry propensities (checked on every slate).
 */
function opeCollectors(env: SimulationEnvironment, arms: AbArmSpec[], exam: Float64Array): OpeCollector[][] {
  return arms.map((logging) =>
    arms.flatMap((target) => {
      const marginals = target.policy.marginals?.bind(target.policy);
      return target === logging || !marginals ? [] : [new OpeCollector(env, logging.armId, target.armId, { marginals }, exam)];
    }),
  );
}
