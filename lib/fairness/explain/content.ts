import { encodeDocuments } from "../../models/convmf";
import { readFloat32 } from "../../models/shared/state";
import { convMfFoldInExplainer } from "./fold-in";
import { DEFAULT_LIMIT, itemName } from "./shared";
import type { ExplainedFeature, Explainer, ExplainerInput } from "./types";

/** A model whose item vectors come from item text through a CNN (ConvMF). */
interface DocumentModel {
  documentVectors(tokens: Int32Array, mask: Float32Array, rows: number): Float32Array;
}

/**
 * ConvMF: the history items behind the score (fold-in, as for the other factor models), plus the
 * words and genres of the item's document that drive its content vector θ, by occlusion: each
 * token is masked out in turn (as padding is) and its weight is how much the user's score
 * p_u · θ falls without it.
 */
export function convMfExplainer(input: ExplainerInput): Explainer {
  const { model, params, data } = input;
  const documents = model as unknown as Partial<DocumentModel>;
  if (typeof documents.documentVectors !== "function") throw new Error("content explanations need documentVectors()");
  const vectorsOf = documents.documentVectors.bind(model);
  const maxTokens = params.maxTokens as number, k = params.factors as number;
  const docs = encodeDocuments(data.items, data.numItems, maxTokens, params.vocabularySize as number);
  const userFactors = readFloat32(model.save(), "userFactors", data.numUsers * k);
  const base = convMfFoldInExplainer(input);

  const features = (user: number, item: number, limit: number): ExplainedFeature[] => {
    const tokens = docs.tokens.subarray(item * maxTokens, (item + 1) * maxTokens);
    const mask = docs.mask.subarray(item * maxTokens, (item + 1) * maxTokens);
    const present: number[] = [];
    for (let t = 0; t < maxTokens; t++) if (mask[t] > 0) present.push(t);
    if (present.length === 0) return [];
    // Row 0 is the document; row r + 1 the document with token present[r] masked out.
    const rows = present.length + 1;
    const allTokens = new Int32Array(rows * maxTokens), allMask = new Float32Array(rows * maxTokens);
    for (let r = 0; r < rows; r++) {
      allTokens.set(tokens, r * maxTokens);
      allMask.set(mask, r * maxTokens);
      if (r > 0) {
        allTokens[r * maxTokens + present[r - 1]] = 0;
        allMask[r * maxTokens + present[r - 1]] = 0;
      }
    }
    const theta = vectorsOf(allTokens, allMask, rows);
    const userScore = (r: number) => {
      let s = 0;
      for (let f = 0; f < k; f++) s += userFactors[user * k + f] * theta[r * k + f];
      return s;
    };
    const full = userScore(0);
    return present
      .map((t, r) => ({ name: docs.words[tokens[t]], weight: full - userScore(r + 1) }))
      .sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1))
      .slice(0, limit);
  };

  return {
    explain(user, item, options) {
      const e = base.explain(user, item, options);
      const listed = features(user, item, Math.min(options?.limit ?? DEFAULT_LIMIT, maxTokens));
      const words = listed.filter((f) => f.weight > 0).map((f) => f.name.replace(/^g:/, "genre "));
      const text = words.length > 0 ? `${e.text} Words of ${itemName(data, item)} that count most for you: ${words.join(", ")}.` : e.text;
      return { ...e, kind: "content", features: listed, text };
    },
    scoreWithout: base.scoreWithout,
  };
}
