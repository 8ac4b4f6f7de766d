import { autoDefaultsFor, type AutoChoice, type DatasetShape } from "../models/defaults/adaptive";

/** What a field left on "auto" is sent as (or simply left out). */
export const AUTO = "auto";

/** Where an auto choice landed: "params.epochs" for a model param, "patience" for a run control. */
export type AutoRecord = Record<string, AutoChoice>;

const RUN_CONTROLS = ["patience", "evalEvery"] as const;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isAuto = (x: unknown) => x === undefined || x === AUTO;

/**
 * Fills the fields a user left on "auto" (absent, or the string "auto") with the dataset-adaptive
 * defaults of lib/models/defaults/adaptive.ts and records each choice with its reason under
 * `auto`, so the resolved config shows what was chosen and why. Explicit values always win, and
 * so do the `searched` params of an experiment (each trial sets them); "auto" on a field without
 * a rule falls back to the model's static default. Returns a new config input for
 * resolveRunConfig; the input is not modified.
 */
export function applyAutoDefaults(input: unknown, shape: DatasetShape, searched: readonly string[] = []): unknown {
  if (!isRecord(input) || typeof input.modelId !== "string") return input;
  const params = isRecord(input.params) ? { ...input.params } : {};
  const out: Record<string, unknown> = { ...input };
  const auto: AutoRecord = {};
  const choices = autoDefaultsFor(input.modelId, shape);
  for (const [key, choice] of Object.entries(choices.params)) {
    if (!isAuto(params[key]) || searched.includes(key)) continue;
    params[key] = choice.value;
    auto[`params.${key}`] = choice;
  }
  for (const [key, value] of Object.entries(params)) if (value === AUTO) delete params[key];
  for (const key of RUN_CONTROLS) {
    const choice = choices.run[key];
    if (choice && isAuto(out[key])) {
      out[key] = choice.value;
      auto[key] = choice;
    } else if (out[key] === AUTO) delete out[key];
  }
  out.params = params;
  if (Object.keys(auto).length > 0) out.auto = auto;
  else delete out.auto;
  return out;
}

/** The shape the rules read, from a dataset row (numUsers, numItems, numInteractions). */
export function datasetShape(d: { numUsers: number; numItems: number; numInteractions: number }): DatasetShape {
  return { users: d.numUsers, items: d.numItems, interactions: d.numInteractions };
}

/** "epochs = 574: reason" lines for logs and the run page, in a stable order. */
export function describeAuto(auto: AutoRecord | undefined): { field: string; value: string; reason: string }[] {
  if (!auto) return [];
  return Object.keys(auto)
    .sort()
    .map((field) => ({ field: field.replace(/^params\./, ""), value: String(auto[field].value), reason: auto[field].reason }));
}
