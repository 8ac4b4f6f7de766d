import type { Dataset } from "../datasets/types";
import type { CandidateLists } from "./candidates";
import type { ItemReasons, RunExplanations } from "./explanations";
import { createReranker } from "./registry";
import type { RerankContext } from "./rerank-base";

/**
 * One test user of a finished run, for the per-user drill-down: training history, the run's
 * top-K with the stored reasons, and optionally one re-ranker's list of that user next to it.
 * Bounded work: one user's history and ≤ 100 candidates.
 */

export interface DrillItem {
  index: number;
  id: string;
  title: string | null;
  genres: string[];
}

export interface DrillReason {
  item: DrillItem | null;
  feature: string | null;
  weight: number;
  /** Share of the score (history reasons), else null. */
  share: number | null;
}

export interface DrillRecommendation extends DrillItem {
  rank: number;
  score: number;
  reasons: DrillReason[];
  /** "Because you interacted with X (42% of the score)", or null without explanations. */
  sentence: string | null;
}

export interface DrillRerank {
  rerankerId: string;
  lambda: number;
  items: (DrillItem & { rank: number; entered: boolean })[];
  /** Base items that left the list. */
  left: DrillItem[];
}

export interface UserDrillDown {
  user: string;
  history: DrillItem[];
  /** Total training interactions (history lists at most MAX_HISTORY). */
  historyCount: number;
  recommendations: DrillRecommendation[];
  /** Why reasons are missing: "unavailable" (none stored), "not-explained" (past the cap), or null. */
  explanations: null | "unavailable" | "not-explained";
  explanationKind: RunExplanations["kind"] | null;
  rerank: DrillRerank | null;
}

export const MAX_HISTORY = 200;

export function drillItem(dataset: Pick<Dataset, "itemIds" | "items">, index: number): DrillItem {
  return { index, id: dataset.itemIds[index] ?? String(index), title: dataset.items?.title?.[index] ?? null, genres: dataset.items?.genres?.[index] ?? [] };
}

export function itemLabel(item: DrillItem): string {
  return item.title ?? `item ${item.id}`;
}

/** The sentence people read for one recommendation. */
export function reasonSentence(reasons: DrillReason[]): string | null {
  const first = reasons[0];
  if (!first) return null;
  if (first.item) {
    const listed = reasons.filter((r) => r.item).map((r) => `${itemLabel(r.item!)} (${Math.round(100 * (r.share ?? 0))}% of the score)`);
    return `Because you interacted with ${listed.join(", ")}`;
  }
  return `Because of ${reasons.map((r) => `${r.feature} (${r.weight})`).join(", ")}`;
}

export interface DrillInput {
  dataset: Pick<Dataset, "itemIds" | "items">;
  user: string;
  /** The user's training items. */
  history: Int32Array;
  /** The run's candidates of this user, best first, with scores. */
  candidates: { items: Int32Array; scores: Float32Array };
  k: number;
  /** Stored reasons of this user's top items; null when the run has none (or not for this user). */
  reasons: ItemReasons[] | null;
  explanations: UserDrillDown["explanations"];
  explanationKind: UserDrillDown["explanationKind"];
  rerank?: { rerankerId: string; lambda: number; params: Record<string, unknown>; ctx: RerankContext };
}

export function assembleDrillDown(input: DrillInput): UserDrillDown {
  const { dataset, k } = input;
  const byItem = new Map((input.reasons ?? []).map((r) => [r.item, r]));
  const base = Array.from(input.candidates.items.subarray(0, k));
  const recommendations = base.map((index, i): DrillRecommendation => {
    const stored = byItem.get(index);
    const reasons: DrillReason[] = (stored?.reasons ?? []).map((r) =>
      "item" in r ? { item: drillItem(dataset, r.item), feature: null, weight: r.weight, share: r.share } : { item: null, feature: r.feature, weight: r.weight, share: null },
    );
    return { ...drillItem(dataset, index), rank: i + 1, score: input.candidates.scores[i], reasons, sentence: reasonSentence(reasons) };
  });
  let rerank: DrillRerank | null = null;
  if (input.rerank) {
    const out = new Int32Array(k);
    const reranker = createReranker(input.rerank.rerankerId, { ...input.rerank.params, lambda: input.rerank.lambda }, input.rerank.ctx);
    const n = reranker({ items: input.candidates.items, scores: input.candidates.scores, history: input.history }, k, out);
    const after = Array.from(out.subarray(0, n));
    const inBase = new Set(base), inAfter = new Set(after);
    rerank = {
      rerankerId: input.rerank.rerankerId,
      lambda: input.rerank.lambda,
      items: after.map((index, i) => ({ ...drillItem(dataset, index), rank: i + 1, entered: !inBase.has(index) })),
      left: base.filter((index) => !inAfter.has(index)).map((index) => drillItem(dataset, index)),
    };
  }
  return {
    user: input.user,
    history: Array.from(input.history.subarray(0, MAX_HISTORY), (index) => drillItem(dataset, index)),
    historyCount: input.history.length,
    recommendations,
    explanations: input.explanations,
    explanationKind: input.explanationKind,
    rerank,
  };
}
