import { notFound } from "../errors";
import { alsDefinition } from "./als";
import { bprDefinition } from "./bpr";
import { caserDefinition } from "./caser";
import { convMfDefinition } from "./convmf";
import { easeDefinition } from "./ease";
import { itemKnnDefinition } from "./item-knn";
import { mfDefinition } from "./mf";
import { cdaeDefinition } from "./cdae";
import { multDaeDefinition } from "./mult-dae";
import { multVaeDefinition } from "./mult-vae";
import { neumfDefinition } from "./neumf";
import { gru4recDefinition } from "./gru4rec";
import { popDefinition } from "./pop";
import { sasrecDefinition } from "./sasrec";
import type { ModelDefinition } from "./types";

/** Every model RecLab can train, by id. Adding a model is one file plus one line here. */
const definitions: Record<string, ModelDefinition> = {
  pop: popDefinition,
  "item-knn": itemKnnDefinition,
  mf: mfDefinition,
  bpr: bprDefinition,
  neumf: neumfDefinition,
  cdae: cdaeDefinition,
  "mult-dae": multDaeDefinition,
  "mult-vae": multVaeDefinition,
  ease: easeDefinition,
  als: alsDefinition,
  convmf: convMfDefinition,
  sasrec: sasrecDefinition,
  gru4rec: gru4recDefinition,
  caser: caserDefinition,
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
