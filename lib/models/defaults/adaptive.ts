/**
 * Defaults that adapt to the dataset ("auto"): documented functions of a dataset's shape — users,
 * items, interactions — for the training settings a static default cannot get right on every
 * catalogue. A user's explicit value always wins (lib/experiments/auto-params.ts applies these at
 * launch and records each choice with its reason in the run config).
 *
 * Method: the static defaults were selected on ml-100k validation (docs/benchmarks.md); each rule
 * keeps an invariant of that tuned setting as the shape changes, so at ml-100k's shape it returns
 * the static default and elsewhere it moves it by a ratio with a reason. The invariants and the
 * shape studies behind them: docs/benchmarks/defaults.md.
 */

export interface DatasetShape {
  users: number;
  items: number;
  interactions: number;
}

export type AutoValue = number | string | boolean;
export interface AutoChoice {
  value: AutoValue;
  /** Why, in words, with the numbers: "each item is updated ~21 times per epoch (ml-100k: 119)". */
  reason: string;
}

/** Choices for model params and for run-level training controls (early stopping). */
export interface AutoDefaults {
  params: Record<string, AutoChoice>;
  run: Partial<Record<"patience" | "evalEvery", AutoChoice>>;
}

/** The shape the static defaults were tuned on: MovieLens 100K (943 users, 1,682 items, 100,000 ratings). */
export const TUNED_SHAPE: DatasetShape = { users: 943, items: 1682, interactions: 100_000 };

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x >= 10 ? x.toFixed(0) : x.toPrecision(2));

// --- BPR-MF (SGD over sampled triples; lib/models/bpr.ts) ---------------------------------------

/** How often an item's factors are updated per epoch: as the positive (N/I) and as a uniform negative (N/I). */
export const itemUpdatesPerEpoch = (s: DatasetShape) => (2 * s.interactions) / Math.max(1, s.items);

/** Static BPR defaults (lib/models/bpr.ts), tuned on ml-100k. */
const BPR_DECAY = 0.9;
const BPR_EPOCHS = 100;

function bpr(s: DatasetShape): AutoDefaults {
  const updates = itemUpdatesPerEpoch(s), tuned = itemUpdatesPerEpoch(TUNED_SHAPE);
  // r < 1: items are updated r times as often per epoch as on ml-100k. The schedule is kept per
  // item update (Rendle 2009's SGD sees an item through its updates, not through epochs): the
  // step size falls by 0.9 every 1/r epochs, the run may last 1/r times as long, and validation
  // runs every 1/r epochs so patience counts the same amount of learning.
  const r = clamp(updates / tuned, 0.05, 1);
  const decay = Number((BPR_DECAY ** r).toFixed(4));
  const epochs = Math.round(BPR_EPOCHS / r);
  const evalEvery = Math.max(1, Math.round(1 / r));
  const per = `each item is updated ~${fmt(updates)} times per epoch (ml-100k, where the defaults were tuned: ${fmt(tuned)})`;
  return {
    params: {
      learningRateDecay: { value: decay, reason: `step size × ${decay} per epoch = × ${BPR_DECAY} per ml-100k epoch's worth of item updates: ${per}` },
      epochs: { value: epochs, reason: `at most ${epochs} epochs (${BPR_EPOCHS} × ${fmt(tuned)} / ${fmt(Math.min(updates, tuned))}; early stopping ends sooner): ${per}` },
    },
    run: {
      evalEvery: { value: evalEvery, reason: `validate every ${evalEvery} epoch${evalEvery === 1 ? "" : "s"}, so patience counts the same item updates as on ml-100k: ${per}` },
    },
  };
}

const RULES: Record<string, (s: DatasetShape) => AutoDefaults> = {
  bpr,
};

/** Models whose defaults adapt to the dataset. */
export const ADAPTIVE_MODELS = Object.keys(RULES);

/** The adaptive choices for a model on a dataset of this shape; empty for models without rules. */
export function autoDefaultsFor(modelId: string, shape: DatasetShape): AutoDefaults {
  const rule = RULES[modelId];
  const safe = { users: Math.max(1, shape.users), items: Math.max(1, shape.items), interactions: Math.max(1, shape.interactions) };
  return rule ? rule(safe) : { params: {}, run: {} };
}
