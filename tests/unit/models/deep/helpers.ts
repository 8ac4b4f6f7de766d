import { listModels } from "@/lib/models/registry";
import type { ModelDefinition, Recommender } from "@/lib/models/types";
import { allUsers } from "../fixtures";

/** The registered TensorFlow.js models (this file's tests loop over them, as the contract test does). */
export const tfjsModels = (): ModelDefinition[] => listModels().filter((d) => d.engine === "tfjs");

/** Small, fast settings for the deep models' tests; keys a schema lacks are dropped. */
export function quickDeepParams(definition: ModelDefinition, overrides: Record<string, unknown> = {}) {
  const quick: Record<string, unknown> = { hidden: 32, latent: 16, factors: 8, mlpLayers: 2, pretrainEpochs: 1, ...overrides };
  const shape = definition.paramsSchema.shape;
  return definition.paramsSchema.parse(Object.fromEntries(Object.entries(quick).filter(([key]) => key in shape)));
}

/** Scores of every user × every item, row-major. */
export function scoreAll(model: Recommender, numUsers: number, numItems: number): Float32Array {
  const out = new Float32Array(numUsers * numItems);
  model.score(allUsers(numUsers), out);
  return out;
}
