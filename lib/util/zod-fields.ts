import { z } from "zod";

/** A form field derived from a zod object schema (the launch form is generated from these). */
export interface FieldSpec {
  name: string;
  kind: "number" | "integer" | "boolean" | "enum" | "string";
  default?: unknown;
  min?: number;
  max?: number;
  options?: string[];
  optional: boolean;
  description?: string;
}

/** Describes every top-level field of a zod object: type, default, bounds and .describe() text. */
export function describeFields(schema: z.ZodObject<z.ZodRawShape>): FieldSpec[] {
  return Object.entries(schema.shape).map(([name, field]) => describeField(name, field as z.ZodTypeAny));
}

function describeField(name: string, field: z.ZodTypeAny): FieldSpec {
  let inner: z.ZodTypeAny = field;
  let defaultValue: unknown;
  let optional = false;
  const description = field.description;
  // Peel wrappers, keeping the default and optionality they add.
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      defaultValue = inner._def.defaultValue();
      inner = inner._def.innerType;
    } else if (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
      optional = true;
      inner = inner._def.innerType;
    } else if (inner instanceof z.ZodEffects) {
      inner = inner._def.schema;
    } else break;
  }
  const spec: FieldSpec = { name, kind: "string", optional, description: description ?? inner.description };
  if (defaultValue !== undefined) spec.default = defaultValue;
  if (inner instanceof z.ZodNumber) {
    spec.kind = inner.isInt ? "integer" : "number";
    if (inner.minValue !== null) spec.min = inner.minValue;
    if (inner.maxValue !== null) spec.max = inner.maxValue;
  } else if (inner instanceof z.ZodBoolean) {
    spec.kind = "boolean";
  } else if (inner instanceof z.ZodEnum) {
    spec.kind = "enum";
    spec.options = [...inner.options] as string[];
  } else if (inner instanceof z.ZodLiteral) {
    spec.kind = "enum";
    spec.options = [String(inner.value)];
  }
  return spec;
}
