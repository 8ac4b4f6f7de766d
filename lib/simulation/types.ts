/**
 * The contracts of online evaluation (simulator, A/B engine, off-policy estimators, bandit
 * policies, A/B analysis). Every module of lib/simulation and lib/models/bandits codes against
 * these types; the job handlers, API and pages consume them.
 */

/** One visit (session) of a simulated or logged user. */
export interface Visit {
  /** Dense user index of the dataset the environment was built from (the simulated user's profile). */
  user: number;
  /** Id of the simulated (or logged) user within the test; several visitors may share a profile. */
  visitor: number;
  /** 0-based visit number of this user within the test. */
  session: number;
  /** Items the user interacted with, oldest first: their dataset interactions (SimulationEnvironment.history), then their clicks in the test. */
  history: Int32Array;
}

/** A ranked slate a policy shows on one visit. */
export interface Slate {
  /** Distinct dense item indices, best first (length K). */
  items: Int32Array;
  /**
   * For stochastic policies: the probability, under the policy, that items[k] is shown at
   * position k on this visit (the marginal position-wise propensity logged for off-policy
   * evaluation). Absent for deterministic policies (propensity 1 for the item they show).
   */
  propensities?: Float64Array;
}

/** What happened on one slot of a slate. */
export interface SlotOutcome {
  examined: boolean;
  clicked: boolean;
  /** Seconds spent on the item after a click (0 without a click). */
  dwellSeconds: number;
  converted: boolean;
}

/**
 * A policy's slate distribution on one visit as position-wise marginals, in ε-greedy form: slot p
 * shows `items[p]` with probability 1 − explore, otherwise an item drawn uniformly from the pool
 * of `poolSize` items that are neither in `items` nor in `excluded` (distinct within the slate).
 * So P(item j at slot p) = 1 − explore for j = items[p], explore / poolSize for j in the pool,
 * and 0 otherwise. A deterministic policy has explore 0.
 */
export interface PositionMarginals {
  items: Int32Array;
  explore: number;
  /** Distinct items the policy never shows on this visit (history, training items); disjoint from `items`. */
  excluded: Int32Array;
  poolSize: number;
}

/** A recommender as an A/B arm: chooses slates; online learners also learn from the outcomes. */
export interface SlatePolicy {
  recommend(visit: Visit, k: number): Slate;
  observe?(visit: Visit, slate: Slate, outcomes: readonly SlotOutcome[]): void;
  /** Frees what the policy holds outside the JS heap (the DQN's tensors); called once the test is done. */
  dispose?(): void;
  /**
   * The slate distribution the policy would draw from on `visit`, without drawing or learning
   * (pure). Policies with a fixed distribution implement it; they can then be the target of
   * off-policy estimates from another arm's logs. Online learners leave it out.
   */
  marginals?(visit: Visit, k: number): PositionMarginals;
}

/**
 * Per-user totals of one arm: the unit of A/B analysis (users are randomised, so every
 * statistic treats the user as the independent observation; ratio metrics such as CTR use the
 * delta method over users). Simulated tests and imported logs both reduce to this.
 */
export interface ArmTotals {
  armId: string;
  label: string;
  /** One entry per user assigned to the arm (parallel arrays). */
  visits: Float64Array;
  impressions: Float64Array;
  clicks: Float64Array;
  dwellSeconds: Float64Array;
  conversions: Float64Array;
  /** 1 when the user came back after the first visit. */
  returned: Uint8Array;
  /** Distinct items the arm showed, and the catalogue size (catalogue coverage). */
  distinctItemsShown: number;
  catalogueSize: number;
}

/** Zeroed per-user totals for `users` users of one arm (filled in by the simulator or a log reader). */
export function emptyArmTotals(armId: string, label: string, users: number, catalogueSize = 0): ArmTotals {
  return {
    armId,
    label,
    visits: new Float64Array(users),
    impressions: new Float64Array(users),
    clicks: new Float64Array(users),
    dwellSeconds: new Float64Array(users),
    conversions: new Float64Array(users),
    returned: new Uint8Array(users),
    distinctItemsShown: 0,
    catalogueSize,
  };
}

export type AbMetricId = "ctr" | "clicks_per_session" | "dwell_mean" | "conversion" | "return_rate" | "coverage";

/** One arm's value of one metric. */
export interface AbArmValue {
  armId: string;
  value: number;
  /** 95% confidence interval of the value (null where none is defined, e.g. coverage). */
  ci: [number, number] | null;
  /**
   * Why the value cannot be computed ("no users", "no impressions"); `value` is then a 0
   * placeholder and `ci` null — show "—" with this reason.
   */
  missing?: string;
}

/** A treatment arm against the control arm on one metric. */
export interface AbComparison {
  armId: string;
  /** Relative lift (treatment / control − 1). */
  lift: number;
  liftCi: [number, number];
  pValue: number;
  /** Holm-adjusted across every metric × treatment arm of the test. */
  pAdjusted: number;
  significant: boolean;
  /** Anytime-valid (sequential-safe) interval of the lift, when requested. */
  sequentialCi?: [number, number];
  /**
   * Smallest relative lift this comparison had 80% power to detect at level alpha (before Holm),
   * from the observed variances: (z₁₋α/₂ + z₀.₈) · √(v_T + v_C) / |C|. Reads "unchanged" in context.
   */
  minimumDetectableLift?: number;
  /** Name of the test used, e.g. "two-proportion z", "Welch t (delta method)". */
  test: string;
  /**
   * Why the comparison cannot be made (an arm without users, a control value of 0); the numbers
   * are then placeholders (lift 0, p 1, not significant) — show "—" with this reason.
   */
  missing?: string;
}

export interface AbMetricRow {
  metricId: AbMetricId;
  label: string;
  higherIsBetter: boolean;
  /** Guardrail metrics must not get worse; they are listed apart on the review page. */
  guardrail: boolean;
  arms: AbArmValue[];
  comparisons: AbComparison[];
}

export interface SampleRatioCheck {
  observed: number[];
  expected: number[];
  chiSquare: number;
  df: number;
  pValue: number;
  /** True when p < 0.001: the assignment is broken and the results should not be trusted. */
  mismatch: boolean;
}

export interface AbAnalysis {
  alpha: number;
  controlArmId: string;
  arms: { armId: string; label: string; users: number; expectedShare: number }[];
  metrics: AbMetricRow[];
  srm: SampleRatioCheck;
  /** Plain sentences, e.g. "B raises CTR by 4.1% (95% CI 1.2% to 7.0%, p = 0.006)". */
  verdict: string[];
}

/** An off-policy estimate of one arm's CTR from another (stochastic) arm's logged impressions. */
export interface OpeEstimate {
  targetArmId: string;
  loggingArmId: string;
  estimator: "IPS" | "SNIPS" | "DM" | "DR";
  value: number;
  /** 95% bootstrap interval. */
  ci: [number, number];
  /** The target arm's simulated CTR (the online truth), when the target ran in the same test. */
  truth: number | null;
  /**
   * The target's expected CTR on the logging arm's very visits, computed from the ground truth
   * (position-based examination only; null under the cascade): what the estimator estimates,
   * without the sampling noise of `truth` and without its different visit mix (return model).
   */
  expected?: number | null;
  /**
   * Mean importance weight π_target / π_logging over the logged slots: ≈ 1 when the logging arm
   * covers every (item, slot) the target shows; well below 1, the target shows items at slots the
   * logger never uses for them, IPS is biased low and no estimate should be trusted.
   */
  support?: number;
}
