import { notFound } from "../../errors";
import { listModels } from "../../models/registry";
import { convMfExplainer } from "./content";
import { alsExplainer, bprExplainer, mfExplainer, neumfExplainer } from "./fold-in";
import { easeExplainer, itemKnnExplainer } from "./neighbourhood";
import { popularityExplainer } from "./popularity";
import type { Explainer, ExplainerFactory, ExplainerInput } from "./types";
import { attentionExplainer, autoencoderExplainer, sequenceExplainer } from "./what-if";

/** The explainer of every registered model, by model id (one line per model, like the model registry). */
const explainers: Record<string, ExplainerFactory> = {
  pop: popularityExplainer,
  "item-knn": itemKnnExplainer,
  ease: easeExplainer,
  mf: mfExplainer,
  bpr: bprExplainer,
  als: alsExplainer,
  neumf: neumfExplainer,
  convmf: convMfExplainer,
  cdae: autoencoderExplainer,
  "mult-dae": autoencoderExplainer,
  "mult-vae": autoencoderExplainer,
  gru4rec: sequenceExplainer,
  caser: sequenceExplainer,
  sasrec: attentionExplainer,
};

for (const { id } of listModels()) if (!Object.hasOwn(explainers, id)) throw new Error(`model "${id}" has no explainer in lib/fairness/explain/registry.ts`);

/** An explainer for a fitted model of `modelId` (its resolved parameters and training data in `input`). */
export function createExplainer(modelId: string, input: ExplainerInput): Explainer {
  const factory = Object.hasOwn(explainers, modelId) ? explainers[modelId] : undefined;
  if (!factory) throw notFound(`no explainer for model "${modelId}"`);
  return factory(input);
}
