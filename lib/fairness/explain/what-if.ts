import { readFloat32 } from "../../models/shared/state";
import type { ItemLists } from "../../models/types";
import { becauseText, chronologicalHistories, historyOf, itemSpaceFromColumns, leaveOneOutLists, cosine, topItems, type ItemSpace } from "./shared";
import type { Explainer, ExplainerInput, Explanation, ExplanationKind, ExplainOptions } from "./types";

/**
 * Explanations of models that score from the user's history (autoencoders, sequence models):
 * the model itself re-scores the history with one item left out (`Recommender.scoreHistories`),
 * so every weight is a real what-if of the model, not a proxy: history items are listed by how
 * much leaving them out lowers the recommended item's score. Proxies (cosine in the item space,
 * attention) are reported beside it but do not rank: on ml-100k the item SASRec attends to most
 * lowers the score when left out for only about half of the recommendations (docs/benchmarks.md).
 */
interface WhatIfSpec {
  kind: ExplanationKind;
  reason: string;
  /** Positions in the (chronological) history worth leaving out; default all. */
  candidates?: (history: Int32Array) => Int32Array;
  /** The model's learned item space, for each item's cosine to the recommended one. */
  space?: ItemSpace;
  /** The last position's attention on each candidate (SASRec). */
  attention?: (history: Int32Array, positions: Int32Array) => Float64Array;
}

function whatIfExplainer({ model, data }: ExplainerInput, spec: WhatIfSpec): Explainer {
  const scoreHistories = model.scoreHistories?.bind(model);
  if (!scoreHistories) throw new Error("what-if explanations need a model that implements scoreHistories");
  const lists = chronologicalHistories(data);
  const n = data.numItems;
  const scoreRows = (user: number, histories: ItemLists): Float32Array => {
    const rows = histories.indptr.length - 1;
    const out = new Float32Array(rows * n);
    scoreHistories(new Int32Array(rows).fill(user), histories, out);
    return out;
  };
  const column = (out: Float32Array, item: number): Float64Array => Float64Array.from({ length: out.length / n }, (_, r) => out[r * n + item]);
  // A run explains several items per user in a row: the leave-one-out scores cover every item,
  // so the last user's are kept and each further item of that user costs no model call.
  let last: { user: number; out: Float32Array; attention?: Float64Array } | null = null;
  const explain = (user: number, item: number, options?: ExplainOptions): Explanation => {
    const history = historyOf(lists, user);
    const positions = spec.candidates?.(history) ?? Int32Array.from(history, (_, k) => k);
    if (last?.user !== user) last = { user, out: scoreRows(user, leaveOneOutLists(history, positions)), attention: spec.attention?.(history, positions) };
    const scores = column(last.out, item);
    const score = scores[0];
    const scoreWithout = scores.subarray(1);
    const items = Int32Array.from(positions, (k) => history[k]);
    const listed = topItems(
      {
        items,
        weights: scoreWithout.map((s) => score - s),
        attention: last.attention,
        similarity: spec.space ? Float64Array.from(items, (j) => cosine(spec.space!, item, j)) : undefined,
        scoreWithout,
      },
      options,
    );
    return { user, item, kind: spec.kind, score, items: listed, text: becauseText(data, item, listed, spec.reason), exact: false };
  };
  const scoreWithout = (user: number, item: number, removed: number): number => {
    const history = historyOf(lists, user);
    const at = history.indexOf(removed);
    const scores = column(scoreRows(user, leaveOneOutLists(history, at < 0 ? [] : [at])), item);
    return scores[scores.length - 1];
  };
  return { explain, scoreWithout };
}

/** Autoencoders: leave-one-out over the whole history; item space = the decoder's item columns. */
export function autoencoderExplainer(input: ExplainerInput): Explainer {
  const state = input.model.save();
  const n = input.data.numItems;
  // Mult-VAE with a hidden layer decodes through decW2; the others (and Mult-VAE without one) through decW.
  const decoder = "decW2" in state.arrays ? readFloat32(state, "decW2") : readFloat32(state, "decW");
  const space = itemSpaceFromColumns(decoder, decoder.length / n, n);
  return whatIfExplainer(input, { kind: "neighbours", reason: "mostly because of", space });
}

/** Sequence models look at the recent past: leave-one-out over the last items only. */
export const RECENT_ITEMS = 20;

const lastPositions = (count: number) => (history: Int32Array) => {
  const from = Math.max(0, history.length - count);
  return Int32Array.from({ length: history.length - from }, (_, k) => from + k);
};

export function sequenceExplainer(input: ExplainerInput): Explainer {
  return whatIfExplainer(input, { kind: "contributions", reason: "mostly because of your recent", candidates: lastPositions(RECENT_ITEMS) });
}

/** A model that reports the attention of its last position (SASRec). */
interface AttentionModel {
  lastPositionAttention(history: Int32Array): { weights: Float32Array; padding: number };
}

/**
 * SASRec: leave-one-out over its window, with the last block's attention of the last position
 * on each item (mean over heads, renormalised over the real history items; the rest falls on
 * padding).
 */
export function attentionExplainer(input: ExplainerInput): Explainer {
  const model = input.model as unknown as Partial<AttentionModel>;
  if (typeof model.lastPositionAttention !== "function") throw new Error("attention explanations need lastPositionAttention()");
  const attend = model.lastPositionAttention.bind(model);
  const window = input.params.maxLen as number;
  return whatIfExplainer(input, {
    kind: "attention",
    reason: "mostly because of your recent",
    candidates: lastPositions(window),
    attention: (history) => {
      const { weights, padding } = attend(history);
      return Float64Array.from(weights, (w) => w / Math.max(1e-12, 1 - padding));
    },
  });
}
