import { notFound } from "../errors";
import { bprDefinition } from "./bpr";
import { itemKnnDefinition } from "./item-knn";
import { mfDefinition } from "./mf";
import { popDefinition } from "./pop";
import type { ModelDefinition } from "./types";

/** Every model RecLab can train, by id. Adding a model is one file plus one line here. */
const definitions: Record<string, ModelDefinition> = {
  pop: popDefinition,
  "item-knn": itemKnnDefinition,
  mf: mfDefinition,
  bpr: bprDefinition,
};

for (const [key, definition] of Object.entries(definitions)) {
  if (key !== definition.id) throw new Error(`model registry key "${key}" does not match definition id "${definition.id}"`);
}

export function listModels(): ModelDefinition[] {
  return Object.values(definitions);
}

export function getModelDefinition(id: string): ModelDefinition {
  const definition = Object.hasOwn(definitions, id) ? definitions[id] : undefined;
  if (!definition) {
    throw notFound(`unknown model "${id}"; available: ${Object.keys(definitions).join(", ")}`);
  }
  return definition;
}
