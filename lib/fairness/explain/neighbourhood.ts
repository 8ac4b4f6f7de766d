import { readFloat32, readInt32 } from "../../models/shared/state";
import type { TrainingData } from "../../models/types";
import { becauseText, topItems } from "./shared";
import type { Explainer, ExplainerInput, Explanation, ExplainOptions } from "./types";

/**
 * Exact explanations of the neighbourhood models, whose score is a sum over the user's history:
 * score(u, i) = Σ_{j ∈ history(u)} w(j → i), with w = sim(i, j) for ItemKNN (j among i's k
 * neighbours) and w = x_uj · B[j, i] for EASE. Each history item's weight is its term, so the
 * weights add up to the model's score and leaving j out lowers the score by exactly its term.
 */

/** A history item's term in the score of `item`, for every item of the user's stored history. */
type Terms = (user: number, item: number) => { items: Int32Array; weights: Float64Array };

function decompositionExplainer(data: TrainingData, terms: Terms): Explainer {
  const explain = (user: number, item: number, options?: ExplainOptions): Explanation => {
    const t = terms(user, item);
    let score = 0;
    for (const w of t.weights) score += w;
    const items = topItems(
      { items: t.items, weights: t.weights, scoreWithout: t.weights.map((w) => score - w) },
      options,
    );
    return { user, item, kind: "contributions", score, items, text: becauseText(data, item, items, "adds up from"), exact: true };
  };
  const scoreWithout = (user: number, item: number, removed: number): number => {
    const t = terms(user, item);
    let score = 0;
    for (let k = 0; k < t.items.length; k++) if (t.items[k] !== removed) score += t.weights[k];
    return score;
  };
  return { explain, scoreWithout };
}

/** The stored history a neighbourhood model scores from (its `save()` arrays). */
function storedHistory(arrays: ReturnType<ExplainerInput["model"]["save"]>, numUsers: number) {
  const indptr = readInt32(arrays, "historyIndptr", numUsers + 1);
  return { indptr, indices: readInt32(arrays, "historyIndices", indptr[numUsers]) };
}

export function itemKnnExplainer({ model, data }: ExplainerInput): Explainer {
  const state = model.save();
  const n = data.numItems;
  const history = storedHistory(state, data.numUsers);
  const nbIndptr = readInt32(state, "neighbourIndptr", n + 1);
  const nbIndices = readInt32(state, "neighbourIndices", nbIndptr[n]);
  const nbSims = readFloat32(state, "neighbourSimilarities", nbIndptr[n]);
  const similarity = new Float64Array(n);
  return decompositionExplainer(data, (user, item) => {
    for (let q = nbIndptr[item]; q < nbIndptr[item + 1]; q++) similarity[nbIndices[q]] = nbSims[q];
    const items = history.indices.slice(history.indptr[user], history.indptr[user + 1]);
    const weights = Float64Array.from(items, (j) => similarity[j]);
    for (let q = nbIndptr[item]; q < nbIndptr[item + 1]; q++) similarity[nbIndices[q]] = 0;
    return { items, weights };
  });
}

export function easeExplainer({ model, data }: ExplainerInput): Explainer {
  const state = model.save();
  const n = data.numItems;
  const history = storedHistory(state, data.numUsers);
  const values = readFloat32(state, "historyValues", history.indices.length);
  const b = readFloat32(state, "weights", n * n);
  return decompositionExplainer(data, (user, item) => {
    const start = history.indptr[user], end = history.indptr[user + 1];
    const items = history.indices.slice(start, end);
    const weights = new Float64Array(end - start);
    for (let p = start; p < end; p++) weights[p - start] = values[p] * b[history.indices[p] * n + item];
    return { items, weights };
  });
}
