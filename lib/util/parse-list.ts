import { fieldLabel } from "./field-labels";

export type ListValue = number | string | boolean;

/**
 * Reads a comma-separated list typed into a form ("16, 32, 64") as values of one kind. Every bad
 * entry is an error naming it in the form's words ("Factors, value 2: 'abc' is not a number"),
 * so "16, abc" is one error, never two planned values.
 */
export function parseList(text: string, kind: "number" | "integer" | "boolean" | "string", label: string): { values: ListValue[]; errors: string[] } {
  const tokens = text.split(",").map((t) => t.trim()).filter((t) => t !== "");
  const values: ListValue[] = [];
  const errors: string[] = [];
  tokens.forEach((token, i) => {
    const where = `${label}, value ${i + 1}`;
    if (kind === "number" || kind === "integer") {
      const n = Number(token);
      if (!Number.isFinite(n)) errors.push(`${where}: '${token}' is not a number`);
      else if (kind === "integer" && !Number.isInteger(n)) errors.push(`${where}: '${token}' is not a whole number`);
      else values.push(n);
    } else if (kind === "boolean") {
      if (token !== "true" && token !== "false") errors.push(`${where}: '${token}' is not true or false`);
      else values.push(token === "true");
    } else values.push(token);
  });
  if (tokens.length === 0) errors.push(`${label}: give at least one value`);
  return { values, errors };
}

/** A hyperparameter's label for list errors: "factors" → "Factors". */
export const paramLabel = (name: string) => fieldLabel(["params", name]);
