import type { z, ZodTypeAny } from "zod";
import { badInput } from "../errors";
/**
 * Error messages in the words of the forms' labels, not internal paths: "split.ratios" is
 * "Split ratios", "spec.space.factors.values.1" is "Factors, value 2". One helper for the launch
 * forms and the API (which keeps the path in `details.field` for programs).
 */

const NAMED: Record<string, string> = {
  config: "Run configuration",
  base: "Base configuration",
  datasetId: "Dataset",
  name: "Name",
  modelId: "Model",
  params: "Hyperparameters",
  split: "Split",
  "split.kind": "Split",
  "split.ratios": "Split ratios",
  "split.seed": "Split seed",
  "split.shuffle": "Split shuffle",
  "split.folds": "Folds",
  "split.fold": "Fold",
  "split.validationRatio": "Validation share",
  "split.foldInRatio": "Fold-in share",
  feedback: "Feedback",
  ks: "Cut-offs K",
  monitor: "Early-stopping metric",
  evalEvery: "Evaluate every",
  patience: "Patience",
  checkpointEvery: "Checkpoint every",
  seed: "Seed",
  evaluateTest: "Evaluate on test",
  fitOn: "Fit on",
  spec: "Plan",
  "spec.kind": "Kind",
  "spec.space": "Search space",
  "spec.trials": "Trials",
  "spec.seed": "Search seed",
  "spec.folds": "Folds",
  "spec.seeds": "Seeds",
  "spec.variants": "Variants",
  "spec.validationRatio": "Validation share",
  selectionMetric: "Selection metric",
  finalFit: "Retrain the selected configuration on",
};

const ORDINAL_PARTS = ["train", "validation", "test"];

/** "learningRate" → "Learning rate", "l2_reg" → "L2 reg". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of a field from its path ("config." and "base." wrappers of request bodies dropped). */
export function fieldLabel(path: string | readonly (string | number)[]): string {
  const parts = (typeof path === "string" ? path.split(".") : path.map(String)).filter((p) => p !== "");
  while ((parts[0] === "config" || parts[0] === "base") && parts.length > 1) parts.shift();
  if (parts.length === 0) return "Input";
  const index = (at: number) => Number(parts[at]) + 1;
  const [head, second] = parts;
  if (head === "spec" && second === "space" && parts.length >= 3) {
    const param = humanize(parts[2]);
    if (parts[3] === "values" && parts[4] !== undefined) return `${param}, value ${index(4)}`;
    if (parts[3] === "min") return `${param}, minimum`;
    if (parts[3] === "max") return `${param}, maximum`;
    return param;
  }
  if (head === "params" && parts.length >= 2) return humanize(parts[1]);
  if (head === "spec" && second === "seeds" && parts[2] !== undefined) return `Seeds, value ${index(2)}`;
  if (head === "spec" && second === "variants" && parts[2] !== undefined) {
    if (parts[3] === "params" && parts[4]) return `Variant ${index(2)}, ${humanize(parts[4]).toLowerCase()}`;
    return `Variant ${index(2)}${parts[3] === "name" ? " name" : ""}`;
  }
  if (head === "split" && second === "ratios" && parts[2] !== undefined) return `Split ratios, ${ORDINAL_PARTS[Number(parts[2])] ?? `value ${index(2)}`}`;
  if (head === "ks" && parts[1] !== undefined) return `Cut-offs K, value ${index(1)}`;
  for (let n = parts.length; n > 0; n--) {
    const named = NAMED[parts.slice(0, n).join(".")];
    if (named) return named;
  }
  return humanize(parts[parts.length - 1]);
}

interface IssueLike {
  path: readonly (string | number)[];
  message: string;
  code?: string;
  expected?: unknown;
  received?: unknown;
  keys?: readonly string[];
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let at = input;
  for (const key of path) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

const quote = (value: unknown) => `'${typeof value === "string" ? value : JSON.stringify(value)}'`;

/** What is wrong, in words: "'abc' is not a number", "is required", zod's message otherwise. */
export function issueText(issue: IssueLike, input?: unknown): string {
  const value = valueAt(input, issue.path);
  if (issue.code === "invalid_type") {
    if (issue.received === "undefined") return "is required";
    if (issue.expected === "number" || issue.expected === "integer") return value === undefined ? "must be a number" : `${quote(value)} is not a number`;
    if (issue.expected === "boolean") return value === undefined ? "must be true or false" : `${quote(value)} is not true or false`;
  }
  if ((issue.code === "invalid_union" || issue.message === "Invalid input") && value !== undefined) {
    return `${quote(value)} is not a valid value`;
  }
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}

/** "Factors, value 2: 'abc' is not a number"; unknown keys name each key. */
export function describeIssue(issue: IssueLike, input?: unknown, prefix: readonly (string | number)[] = []): { field: string; message: string } {
  if (issue.code === "unrecognized_keys" && issue.keys?.length) {
    const path = [...prefix, ...issue.path, issue.keys[0]];
    const where = [...prefix, ...issue.path].join(".");
    const what = where.endsWith("params") ? "not a hyperparameter of this model" : "not a known setting";
    return { field: path.join("."), message: `${issue.keys.map((k) => fieldLabel([...prefix, ...issue.path, k])).join(", ")}: ${what}` };
  }
  const path = [...prefix, ...issue.path];
  if (path.length === 0 && issue.code === "invalid_type" && issue.expected === "object") {
    const received = issue.received === "array" ? "an array" : String(issue.received ?? "something else");
    return { field: "input", message: `the request body must be a JSON object, not ${received}` };
  }
  const text = issueText(issue, input);
  return { field: path.join(".") || "input", message: text === "is required" ? `${fieldLabel(path)} is required` : `${fieldLabel(path)}: ${text}` };
}

/** Parses request input; the first problem is BAD_INPUT in the form's words (the path in details.field). */
export function parseLabelled<S extends ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { field, message } = describeIssue(parsed.error.issues[0], input);
  throw badInput(message, { field, issues: parsed.error.issues });
}
