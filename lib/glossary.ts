/**
 * Plain-language explanations of every metric (one per id in lib/metrics/registry.ts, checked by
 * tests/unit/glossary.test.ts) and of the statistical and protocol terms the pages use. Shown on
 * /glossary and as tooltips (app/_components/ui/term.tsx). `short` is one sentence a newcomer
 * can read in a tooltip; `long` adds how to read it.
 */
import { METRICS, parseMetricKey } from "./metrics/registry";

export type GlossaryCategory = "accuracy" | "beyond-accuracy" | "rating" | "statistics" | "protocol" | "online";

export interface GlossaryEntry {
  /** Metric id ("ndcg") or a term slug ("holm"); the anchor on /glossary. */
  id: string;
  term: string;
  category: GlossaryCategory;
  short: string;
  long?: string;
}

const metricEntries: GlossaryEntry[] = [
  { id: "precision", term: "Precision@K", category: "accuracy", short: "Of the K items recommended, the share the user actually interacted with in the held-out data.", long: "0.1 at K = 10 means one hit in ten slots on average. It falls as K grows when users have few held-out items." },
  { id: "recall", term: "Recall@K", category: "accuracy", short: "Of the user's held-out items, the share that made it into the top K.", long: "Rises with K; compare runs only at the same K." },
  { id: "f1", term: "F1@K", category: "accuracy", short: "The harmonic mean of Precision@K and Recall@K: high only when both are." },
  { id: "map", term: "MAP@K", category: "accuracy", short: "Mean average precision: rewards lists that put the hits near the top, averaged over users." },
  { id: "ndcg", term: "NDCG@K", category: "accuracy", short: "Normalised discounted cumulative gain: how well the top K is ordered, hits near the top counting more; 1 is a perfect list, 0 has no hit.", long: "The usual headline metric for top-K recommendation. Values depend on the split and K, so compare runs only on the same dataset, split and K." },
  { id: "mrr", term: "MRR@K", category: "accuracy", short: "Mean reciprocal rank: 1 / position of the first hit (1 at the top, 0.5 second …), 0 when nothing relevant is in the top K." },
  { id: "hit", term: "HitRate@K", category: "accuracy", short: "Share of users with at least one held-out item in their top K.", long: "With leave-one-out (one held-out item per user) HitRate@K equals Recall@K." },
  { id: "auc", term: "AUC", category: "accuracy", short: "Chance that a held-out item is ranked above a random item the user never touched; 0.5 is random, 1 is perfect.", long: "Looks at the whole ranking, not only the top K, so it can be high while the top of the list is poor." },
  { id: "coverage", term: "Coverage@K", category: "beyond-accuracy", short: "Share of the catalogue that appears in at least one user's top K; low coverage means the same few items for everyone." },
  { id: "gini", term: "Gini@K", category: "beyond-accuracy", short: "How unequally recommendations are spread over items: 0 is perfectly even, near 1 means a few items get almost all exposure. Lower is better." },
  { id: "entropy", term: "Entropy@K", category: "beyond-accuracy", short: "Spread of exposure over items, in bits; higher means recommendations are spread over more items." },
  { id: "head-exposure", term: "Head exposure@K", category: "beyond-accuracy", short: "Share of recommendations going to the most popular items (the short head). Lower means more room for the long tail." },
  { id: "arp", term: "ARP@K", category: "beyond-accuracy", short: "Average recommendation popularity: how many training interactions the recommended items have on average. Lower means less popularity bias." },
  { id: "aplt", term: "APLT@K", category: "beyond-accuracy", short: "Average percentage of long tail: share of the K slots given to items outside the popular head. Higher is better for niche items." },
  { id: "novelty", term: "Novelty@K", category: "beyond-accuracy", short: "How unexpected the recommended items are, in bits: rarely consumed items count more. Higher means less obvious recommendations." },
  { id: "ild", term: "ILD@K", category: "beyond-accuracy", short: "Intra-list diversity: how different the items within one list are (by genre or category); higher means more varied lists." },
  { id: "miscalibration", term: "Miscalibration@K", category: "beyond-accuracy", short: "How far a list's genre mix is from the genres the user actually watched (KL divergence, calibration after Steck 2018). Lower is better." },
  { id: "serendipity", term: "Serendipity@K", category: "beyond-accuracy", short: "Share of slots holding a relevant item that a plain popularity ranking would not have suggested: hits that are also surprising." },
  { id: "mae", term: "MAE", category: "rating", short: "Mean absolute error of predicted ratings, in rating points; lower is better." },
  { id: "mse", term: "MSE", category: "rating", short: "Mean squared error of predicted ratings; punishes large misses more than MAE. Lower is better." },
  { id: "rmse", term: "RMSE", category: "rating", short: "Root mean squared error of predicted ratings, in rating points (0.9 means typically about one star off). Lower is better." },
];

const termEntries: GlossaryEntry[] = [
  { id: "p-value", term: "p-value", category: "statistics", short: "The chance of seeing a difference at least this large if the two runs were really equally good; small (below α, usually 0.05) means the difference is unlikely to be luck." },
  { id: "significant", term: "Significant", category: "statistics", short: "The test's (corrected) p-value is below α: the difference is unlikely to come from which users happened to be in the test set. It does not say the difference is large." },
  { id: "holm", term: "Holm correction", category: "statistics", short: "Adjusts p-values when many pairs are tested at once, so that the chance of any false 'significant' stays below α.", long: "Sorts the p-values and multiplies the smallest by the number of tests, the next by one fewer, and so on (Holm–Bonferroni)." },
  { id: "bootstrap-ci", term: "Bootstrap 95% CI", category: "statistics", short: "A range that contains the true mean in about 95% of repetitions, found by resampling the test users many times; wide intervals mean an uncertain number." },
  { id: "paired-test", term: "Paired test", category: "statistics", short: "Compares two runs user by user on the same test users, which removes the differences between users and detects smaller gaps; only valid for runs on the same dataset, split and users." },
  { id: "t-test", term: "Paired t-test", category: "statistics", short: "Tests whether the mean per-user difference between two runs is zero, assuming differences are roughly normal." },
  { id: "wilcoxon", term: "Wilcoxon signed-rank test", category: "statistics", short: "A paired test on the ranks of the per-user differences; robust to outliers and skew, where the t-test is not." },
  { id: "permutation-test", term: "Permutation test", category: "statistics", short: "Shuffles group labels many times to see how often a gap as large as the observed one appears by chance." },
  { id: "std", term: "Mean ± std", category: "statistics", short: "The average over folds or seeds and how much the values spread around it (standard deviation)." },
  { id: "lift", term: "Lift", category: "online", short: "Relative improvement of a variant over the control: (variant − control) / control, e.g. +5% CTR." },
  { id: "ctr", term: "CTR", category: "online", short: "Click-through rate: clicks divided by impressions (recommendations shown)." },
  { id: "srm", term: "SRM (sample ratio mismatch)", category: "online", short: "Traffic split differs from the planned split by more than chance allows; a sign the A/B test assignment is broken and its results should not be trusted." },
  { id: "split", term: "Split", category: "protocol", short: "How interactions are divided into training, validation (for early stopping and tuning) and test data (for the reported numbers)." },
  { id: "random-split", term: "Random split", category: "protocol", short: "Each user's interactions are shuffled (with the seed) and cut by the ratios, e.g. 80% train, 10% validation, 10% test." },
  { id: "temporal-split", term: "Temporal split", category: "protocol", short: "Interactions are cut at global points in time: train on the past, test on the future, as in production." },
  { id: "leave-one-out", term: "Leave-one-out", category: "protocol", short: "Each user's last interaction is the test item and the one before it the validation item; the standard protocol for sequence models." },
  { id: "cold-start", term: "Cold start", category: "protocol", short: "Whole items (or users) are held out, so the model must recommend things it never saw in training, from their content." },
  { id: "auto-split", term: "Auto split", category: "protocol", short: "On the compare page: compare on test when every run has test metrics, otherwise on validation (search trials are only evaluated on validation)." },
  { id: "k-fold", term: "k-fold cross-validation", category: "protocol", short: "Each user's interactions are cut into k parts; each part is the test set once, and the k results are averaged (mean ± std)." },
  { id: "validation", term: "Validation", category: "protocol", short: "Data held out from training to choose the epoch and hyperparameters; numbers on it are optimistic, the test split gives the honest figure." },
  { id: "test", term: "Test", category: "protocol", short: "Data never used for training or tuning; the run's reported numbers are measured on it once." },
  { id: "epoch", term: "Epoch", category: "protocol", short: "One pass over the training data." },
  { id: "early-stopping", term: "Early stopping", category: "protocol", short: "Training stops when the validation metric has not improved for 'patience' evaluations, and the best epoch's model is kept.", long: "So a run with 200 epochs often finishes far sooner; the ETA says 'at most' for that reason." },
  { id: "batch-norm", term: "Batch normalisation", category: "protocol", short: "During training each hidden unit is rescaled to the batch's mean and variance (then a learned scale and shift); scoring uses running averages of those statistics.", long: "A switch (batchNorm) on the deep models' hidden layers, off by default; switch it off in an ablation to see what it contributes." },
  { id: "patience", term: "Patience", category: "protocol", short: "How many evaluations without improvement early stopping waits before it stops training." },
  { id: "best-epoch", term: "Best epoch", category: "protocol", short: "The epoch with the best validation metric; its model state is the one evaluated on test." },
  { id: "seed", term: "Seed", category: "protocol", short: "The number that fixes every random choice (split, initialisation, sampling), so a run can be reproduced exactly." },
  { id: "grid-search", term: "Grid search", category: "protocol", short: "Trains one trial per combination of the listed hyperparameter values and keeps the best on validation." },
  { id: "random-search", term: "Random search", category: "protocol", short: "Trains a set number of trials with hyperparameters drawn at random from ranges; often finds good settings faster than a grid." },
  { id: "ablation", term: "Ablation", category: "protocol", short: "Removes or changes one component at a time to measure what each contributes, compared with the base model over the same users." },
  { id: "full-ranking", term: "Full ranking", category: "protocol", short: "Every item in the catalogue is scored for each test user (training items masked), not a sample of candidates; stricter and more honest than sampled metrics." },
];

/** Every entry: metrics first (registry order), then statistics and protocol terms. */
export const GLOSSARY: readonly GlossaryEntry[] = [...metricEntries, ...termEntries];

const byId = new Map(GLOSSARY.map((e) => [e.id, e]));

/** The entry for a metric id or term slug, or undefined. */
export function glossaryEntry(id: string): GlossaryEntry | undefined {
  return byId.get(id);
}

/** The entry behind a metric result key ("ndcg@10" → NDCG's), or undefined for an unknown key. */
export function metricGlossaryEntry(key: string): GlossaryEntry | undefined {
  try {
    return byId.get(parseMetricKey(key).id);
  } catch {
    return undefined;
  }
}

/** Metric ids in the registry without a glossary entry (empty when complete; a unit test checks). */
export function metricsMissingFromGlossary(): string[] {
  return METRICS.map((m) => m.id).filter((id) => !byId.has(id));
}

export const GLOSSARY_CATEGORY_LABELS: Record<GlossaryCategory, string> = {
  accuracy: "Accuracy metrics",
  "beyond-accuracy": "Beyond accuracy: diversity, popularity, fairness",
  rating: "Rating metrics",
  statistics: "Statistics",
  protocol: "Splits and training protocol",
  online: "Online tests (A/B)",
};
