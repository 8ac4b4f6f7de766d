import { gain } from "../metrics/direction";

/**
 * The strongest simple baselines of a ranking run: deep models are never shown without one.
 * ItemKNN (Sarwar et al. 2001) and EASE (Steck 2019) are the simple models published comparisons
 * find hardest to beat (Ferrari Dacrema et al., "Are we really making much progress?", RecSys 2019).
 */
export const BASELINE_MODEL_IDS = ["item-knn", "ease"] as const;
export type BaselineModelId = (typeof BASELINE_MODEL_IDS)[number];

/** Past this catalogue EASE's dense item × item matrix outgrows a worker; ItemKNN keeps k neighbours per item. */
export const EASE_MAX_ITEMS = 20_000;

export interface BaselineCandidate {
  id: string;
  modelId: string;
  /** The run's resolved split config (which test set it was scored on). */
  split: unknown;
  /** Test metrics. */
  test: Record<string, number>;
  finishedAt: Date | null;
}

const sameSplit = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function isBaselineModel(modelId: string): modelId is BaselineModelId {
  return (BASELINE_MODEL_IDS as readonly string[]).includes(modelId);
}

/**
 * The baseline to compare a run with: among finished ItemKNN/EASE runs on its dataset, those on
 * the same split first (only they allow a paired test), then the best on `metric` by its
 * direction, then the most recent. Null when none reports the metric.
 */
export function pickBaseline<C extends BaselineCandidate>(split: unknown, candidates: C[], metric: string): (C & { sameSplit: boolean }) | null {
  const scored = candidates
    .filter((c) => isBaselineModel(c.modelId) && Number.isFinite(c.test[metric]))
    .map((c) => ({ ...c, sameSplit: sameSplit(c.split, split) }));
  scored.sort(
    (a, b) =>
      Number(b.sameSplit) - Number(a.sameSplit) ||
      gain(metric, b.test[metric] - a.test[metric]) ||
      (b.finishedAt?.getTime() ?? 0) - (a.finishedAt?.getTime() ?? 0),
  );
  return scored[0] ?? null;
}

/**
 * The baseline to offer when there is none: EASE (usually the stronger) where its item × item
 * matrix fits, else ItemKNN; never the run's own model (null when that leaves nothing).
 */
export function suggestedBaseline(numItems: number, runModelId: string): BaselineModelId | null {
  const fitting: BaselineModelId[] = numItems <= EASE_MAX_ITEMS ? ["ease", "item-knn"] : ["item-knn"];
  return fitting.find((id) => id !== runModelId) ?? null;
}
