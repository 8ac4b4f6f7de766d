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

import { AUTOENCODER_WIDTHS } from "./widths";

export interface DatasetShape {
  users: number;
  items: number;
  interactions: number;
}

export type AutoValue = number | string | boolean;
export interface AutoChoice {
  value: AutoValue;
  /** Why, in words, with the numbers: "… each item is a positive ~10 times per epoch (ml-100k …: 59)". */
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

/** How often an item is a positive per epoch (N/I): what every model here learns an item's parameters from. */
export const positivesPerItem = (s: DatasetShape) => s.interactions / s.items;

/**
 * r = positives per item per epoch relative to ml-100k's (59), in [0.05, 1]: below 1 an epoch
 * teaches each item r times as much as one ml-100k epoch. ml-latest-small: 10.4 / 59.5 = 0.174.
 */
export function itemSignalRatio(s: DatasetShape): number {
  return clamp(positivesPerItem(s) / positivesPerItem(TUNED_SHAPE), 0.05, 1);
}

const perItemReason = (s: DatasetShape) =>
  `each item is a positive ~${fmt(positivesPerItem(s))} times per epoch (ml-100k, where the defaults were tuned: ${fmt(positivesPerItem(TUNED_SHAPE))})`;

/** Static early-stopping patience (run-config.ts): evaluations without improvement. */
const PATIENCE = 5;

/**
 * Early stopping waits for the same amount of item learning as on ml-100k (5 epochs there)
 * instead of stopping on noise while a sparse catalogue's validation metric still climbs slowly
 * (ml-latest-small, static defaults: BPR stopped at epoch 20 with validation on a plateau of its
 * step-size schedule). Two ways, by what is cheap: validate every 1/r epochs where an epoch costs
 * less than a validation pass (BPR: 0.1 s against ~0.3 s on ml-latest-small); validate every epoch
 * with patience 5/r where an epoch costs more (the autoencoders, whose noisy curve also needs
 * every epoch looked at: validating every 6th epoch missed CDAE's peak at epoch 50, .2018, and
 * kept epoch 48's .1988).
 */
function evalEvery(s: DatasetShape): AutoChoice {
  const value = Math.max(1, Math.round(1 / itemSignalRatio(s)));
  return { value, reason: `validate every ${value} epoch${value === 1 ? "" : "s"}, so early stopping's patience spans as much item learning as on ml-100k: ${perItemReason(s)}` };
}

/**
 * The longest patience as a share of the run's epoch cap: a quarter. The 5/r rule assumes epochs
 * are cheap enough to wait for; where a work budget caps the epochs near 5/r (Mult-DAE on 2,000
 * users × 17,000 items: cap 61, 5/r = 56) it would never stop early, and a model past its peak
 * (CDAE's best there, 200 units wide: epoch 25) would spend the rest of the budget on a decline. Capped at a quarter, a
 * run stops within 25% of its budget after its last improvement; never below the static 5, so
 * ml-100k (cap 200: 50) and ml-latest-small (cap 351: 87, 5/r = 29) keep their patience.
 */
const PATIENCE_SHARE_OF_EPOCHS = 0.25;

function patience(s: DatasetShape, epochCap: number): AutoChoice {
  const bySignal = Math.max(PATIENCE, Math.round(PATIENCE / itemSignalRatio(s)));
  const byCap = Math.max(PATIENCE, Math.floor(epochCap * PATIENCE_SHARE_OF_EPOCHS));
  if (byCap < bySignal) {
    return { value: byCap, reason: `stop after ${byCap} epochs without improvement: a quarter of the ${epochCap}-epoch cap, less than the ${bySignal} that would match ml-100k's ${PATIENCE} in item learning (${perItemReason(s)})` };
  }
  return { value: bySignal, reason: `stop after ${bySignal} epochs without improvement, as much item learning as ml-100k's ${PATIENCE}: ${perItemReason(s)}` };
}

// --- BPR-MF (SGD over sampled triples; lib/models/bpr.ts) ---------------------------------------

/** Static BPR defaults (lib/models/bpr.ts), tuned on ml-100k. */
const BPR_DECAY = 0.9;
const BPR_EPOCHS = 100;
/** Triples a default run may sample (~4 min at 2 M triples/s): caps 100 / r epochs on large sparse data, never below 100. */
const BPR_TRIPLE_BUDGET = 5e8;
/**
 * Most candidates per negative: each costs a dot product per negative (BPR: 16 ran 2.5× slower
 * than 4 on ml-latest-small and was no better), and the best of many draws is ever more often an
 * unobserved positive (NeuMF's log loss, which labels it 0 outright, collapsed at 16 there).
 */
const MAX_NEGATIVE_CANDIDATES = 8;

/**
 * Negative candidates c ∝ items: a uniform negative outranks a positive ranked ρ-th with
 * probability ρ/I, the best of c draws with ≈ cρ/I (Rendle & Freudenthaler, WSDM 2014), so
 * c = I / 1,682 keeps ml-100k's share of informative negatives, where uniform sampling was best
 * (BPR validation NDCG@10 .2605 at c = 1, .2626 at 2, .2523 at 4). Shared by BPR and NeuMF.
 */
function negativeCandidates(s: DatasetShape): AutoChoice {
  const value = clamp(Math.round(s.items / TUNED_SHAPE.items), 1, MAX_NEGATIVE_CANDIDATES);
  const why = value === 1 ? "uniform sampling, as tuned on ml-100k's 1,682 items" : `the best-scored of ${value} uniform draws (dynamic negative sampling)`;
  return { value, reason: `${why}: ${fmt(s.items)} items = ${fmt(s.items / TUNED_SHAPE.items)} × ml-100k's, so a uniform negative is that much less often ranked above a positive` };
}

function bpr(s: DatasetShape): AutoDefaults {
  // SGD sees an item only through its updates (Rendle et al. 2009), so the schedule is kept per
  // item update: the step size falls by 0.9 every 1/r epochs and the run may last 1/r as long.
  const r = itemSignalRatio(s);
  const decay = Number((BPR_DECAY ** r).toFixed(4));
  const byBudget = Math.max(BPR_EPOCHS, Math.floor(BPR_TRIPLE_BUDGET / s.interactions));
  const epochs = Math.min(Math.round(BPR_EPOCHS / r), byBudget);
  const why = epochs === byBudget && byBudget < Math.round(BPR_EPOCHS / r) ? `a budget of ${BPR_TRIPLE_BUDGET.toExponential(0)} sampled triples over ${fmt(s.interactions)} interactions` : `${BPR_EPOCHS} ml-100k epochs' worth of item updates`;
  return {
    params: {
      learningRateDecay: { value: decay, reason: `step size × ${decay} per epoch, i.e. × ${BPR_DECAY} per ml-100k epoch's worth of item updates: ${perItemReason(s)}` },
      epochs: { value: epochs, reason: `at most ${epochs} epochs (${why}; early stopping ends sooner): ${perItemReason(s)}` },
      negativeCandidates: negativeCandidates(s),
    },
    run: { evalEvery: evalEvery(s) },
  };
}

// --- User autoencoders (CDAE, Mult-DAE, Mult-VAE; lib/models/deep/autoencoder.ts) ---------------

/** Static autoencoder defaults (cdae.ts, mult-dae.ts, mult-vae.ts), tuned on ml-100k. */
const AE_BATCH = 100;
const AE_EPOCHS = 200;
/** Floats in one [batch × items] activation; the input, logits and their gradients are a few of these. */
const AE_ACTIVATION_BUDGET = 1 << 23;
/**
 * Multiply-adds a default run may spend (per epoch users × items × (encoder + decoder widths) × 3,
 * forward and backward): bounds the epochs on large catalogues so a default run ends in minutes.
 * Mult-DAE's 200 epochs on ml-100k are 3.8·10¹¹ (CDAE's, 600 units wide, 1.1·10¹²); on
 * ml-latest-small the budget allows Mult-DAE 351 epochs and CDAE 117.
 */
const AE_WORK_BUDGET = 2.5e12;
/** Fewest epochs the budget may leave: below this a default run would not train the model at all. */
const AE_MIN_EPOCHS = 20;

/**
 * Users per batch: the tuned 100 while a [batch × items] activation fits the memory budget, fewer
 * on huge catalogues. Not scaled to keep ml-100k's steps per epoch: on ml-latest-small batch 65
 * (10 steps per epoch instead of 7) peaked lower on validation (CDAE .1977 at epoch 36 against
 * .2018 at epoch 50 with 100).
 */
function aeBatch(s: DatasetShape): AutoChoice {
  const byMemory = Math.max(1, Math.floor(AE_ACTIVATION_BUDGET / s.items));
  const value = Math.min(AE_BATCH, byMemory);
  const why =
    value < AE_BATCH
      ? `a [batch × ${fmt(s.items)} items] activation kept under ${AE_ACTIVATION_BUDGET / (1 << 20)} M floats`
      : `the batch tuned on ml-100k; a [${AE_BATCH} × ${fmt(s.items)} items] activation fits the ${AE_ACTIVATION_BUDGET / (1 << 20)} M-float budget`;
  return { value, reason: `${value} users per batch: ${why}` };
}

/** `width`: the units the [items]-wide layers connect to, encoder's plus decoder's, at the default sizes. */
function aeEpochs(s: DatasetShape, width: number): AutoChoice {
  const bySignal = Math.round(AE_EPOCHS / itemSignalRatio(s));
  const byWork = Math.max(AE_MIN_EPOCHS, Math.floor(AE_WORK_BUDGET / (3 * s.users * s.items * width)));
  const value = Math.min(bySignal, byWork);
  const why =
    value === byWork && byWork < bySignal
      ? `a work budget of ${AE_WORK_BUDGET.toExponential(1)} multiply-adds over ${fmt(s.users)} users × ${fmt(s.items)} items × ${width} units`
      : `${AE_EPOCHS} ml-100k epochs' worth of item learning: ${perItemReason(s)}`;
  return { value, reason: `at most ${value} epochs (early stopping ends sooner): ${why}` };
}

function autoencoder(width: number, extra: (s: DatasetShape, batch: number) => Record<string, AutoChoice> = () => ({})) {
  return (s: DatasetShape): AutoDefaults => {
    const batchSize = aeBatch(s);
    const epochs = aeEpochs(s, width);
    return {
      params: { batchSize, epochs, ...extra(s, Number(batchSize.value)) },
      run: { patience: patience(s, Number(epochs.value)) },
    };
  };
}

/**
 * Mult-VAE's β ramp over a fixed number of steps — the static run's 200 epochs — rather than over
 * the (longer) auto epoch cap, so β at epoch e is the same as in the tuned setting. Stretching the
 * ramp with the cap was the suspected cause of an earlier auto attempt's ml-100k regression.
 */
function vaeAnnealSteps(s: DatasetShape, batch: number): AutoChoice {
  const steps = Math.ceil(s.users / batch);
  const value = AE_EPOCHS * steps;
  return { value, reason: `β rises to its cap over ${fmt(value)} steps = ${AE_EPOCHS} epochs × ${steps} batches, as in the tuned 200-epoch run, however long the run may go on` };
}

// --- NeuMF (log loss over observed pairs and sampled negatives; lib/models/neumf.ts) -------------

/** Static NeuMF schedule (neumf.ts): the learning rate halves every 3 epochs, tuned on ml-100k. */
const NEUMF_SCHEDULE_EVERY = 3;
/** Longest interval the rule gives: beyond NeuMF's 60-epoch cap it would never halve. */
const NEUMF_MAX_SCHEDULE_EVERY = 60;

/**
 * The halving interval in gradient steps, not epochs: an epoch has steps ∝ interactions (pairs ÷
 * batch), so the tuned 3 epochs of ml-100k (~2,100 steps at batch 1,024) are 3 × 100,000 / N
 * epochs elsewhere. Per epoch it would starve a small dataset: on a synthetic 300 × 200 set
 * (8,760 interactions, ~60 steps an epoch) halving every 3 epochs left test NDCG@10 at .2349
 * against .3277 halving every 10.
 */
function neumfScheduleEvery(s: DatasetShape): AutoChoice {
  const value = clamp(Math.round((NEUMF_SCHEDULE_EVERY * TUNED_SHAPE.interactions) / s.interactions), 1, NEUMF_MAX_SCHEDULE_EVERY);
  return {
    value,
    reason: `learning rate halved every ${value} epoch${value === 1 ? "" : "s"}, as many gradient steps as ml-100k's ${NEUMF_SCHEDULE_EVERY} epochs: ${fmt(s.interactions)} interactions against its ${fmt(TUNED_SHAPE.interactions)}`,
  };
}

/** Static NeuMF predictive factors (neumf.ts), tuned on ml-100k. */
const NEUMF_FACTORS = 32;
/** Widest the rule goes: the NCF paper's largest setting (8–64); the MLP's work grows as factors². */
const NEUMF_MAX_FACTORS = 64;

/**
 * Predictive factors grow with the fourth root of the catalogue — the rule of thumb TensorFlow
 * gives for an embedding's size (dimensions ≈ categories^¼) — anchored at the 32 tuned on
 * ml-100k's 1,682 items, in multiples of 8 from 32 to 64: a larger catalogue has more item
 * structure for the embeddings to hold, and He et al. (NCF, 2017) found more factors better on
 * both their datasets. Never narrower than the tuned 32. ml-latest-small's 9,724 items: 48.
 */
function neumfFactors(s: DatasetShape): AutoChoice {
  const byRule = NEUMF_FACTORS * (s.items / TUNED_SHAPE.items) ** 0.25;
  const value = clamp(8 * Math.round(byRule / 8), NEUMF_FACTORS, NEUMF_MAX_FACTORS);
  const why = value === NEUMF_FACTORS ? `the ${NEUMF_FACTORS} tuned on ml-100k's ${fmt(TUNED_SHAPE.items)} items` : `${NEUMF_FACTORS} × (${fmt(s.items)} / ${fmt(TUNED_SHAPE.items)} items)^¼ = ${byRule.toFixed(1)}, to a multiple of 8${value === NEUMF_MAX_FACTORS ? `, at most ${NEUMF_MAX_FACTORS}` : ""}`;
  return { value, reason: `${value} predictive factors (embedding width grows with the fourth root of the catalogue): ${why}` };
}

/**
 * The negatives, the width and the schedule's interval adapt. Unlike BPR, NeuMF with Adam is not
 * under-trained on a sparse catalogue: on ml-latest-small its validation NDCG@10 peaks by epoch
 * 9–13 whatever the schedule, so its epochs, pre-training and patience keep their static values.
 */
function neumf(s: DatasetShape): AutoDefaults {
  return { params: { negativeCandidates: negativeCandidates(s), factors: neumfFactors(s), scheduleEvery: neumfScheduleEvery(s) }, run: {} };
}

const RULES: Record<string, (s: DatasetShape) => AutoDefaults> = {
  bpr,
  neumf,
  // Widths at the default sizes: the hidden layer in and out; Mult-VAE's encoder outputs μ and
  // log σ² (2 × latent) and its decoder reads the latent.
  cdae: autoencoder(2 * AUTOENCODER_WIDTHS.cdae),
  "mult-dae": autoencoder(2 * AUTOENCODER_WIDTHS["mult-dae"]),
  "mult-vae": autoencoder(3 * AUTOENCODER_WIDTHS["mult-vae"], (s, batch) => ({ annealSteps: vaeAnnealSteps(s, batch) })),
};

/** The adaptive choices for a model on a dataset of this shape; empty for models without rules. */
export function autoDefaultsFor(modelId: string, shape: DatasetShape): AutoDefaults {
  const rule = RULES[modelId];
  const safe = { users: Math.max(1, shape.users), items: Math.max(1, shape.items), interactions: Math.max(1, shape.interactions) };
  return rule ? rule(safe) : { params: {}, run: {} };
}
