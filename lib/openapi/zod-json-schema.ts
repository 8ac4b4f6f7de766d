import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

/**
 * JSON Schema (OpenAPI 3.1 dialect) of the zod schemas RecLab validates with, so the API document
 * is generated from the same schemas the route handlers parse. Covers the zod types in use;
 * anything else becomes an unconstrained schema with its description.
 */
export function toJsonSchema(schema: z.ZodTypeAny): JsonSchema {
  const out = convert(schema);
  if (schema.description && !out.description) out.description = schema.description;
  return out;
}

function convert(schema: z.ZodTypeAny): JsonSchema {
  const describe = (s: JsonSchema): JsonSchema => (schema.description ? { ...s, description: schema.description } : s);
  if (schema instanceof z.ZodDefault) {
    const inner = toJsonSchema(schema._def.innerType);
    return describe({ ...inner, default: schema._def.defaultValue() });
  }
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    const inner = toJsonSchema(schema._def.innerType);
    return describe(schema instanceof z.ZodNullable ? { anyOf: [inner, { type: "null" }] } : inner);
  }
  if (schema instanceof z.ZodEffects) return describe(toJsonSchema(schema._def.schema));
  if (schema instanceof z.ZodPipeline) return describe(toJsonSchema(schema._def.in));
  if (schema instanceof z.ZodString) {
    const s: JsonSchema = { type: "string" };
    for (const check of schema._def.checks) {
      if (check.kind === "min") s.minLength = check.value;
      if (check.kind === "max") s.maxLength = check.value;
    }
    return describe(s);
  }
  if (schema instanceof z.ZodNumber) {
    const s: JsonSchema = { type: schema.isInt ? "integer" : "number" };
    for (const check of schema._def.checks) {
      if (check.kind === "min") s[check.inclusive ? "minimum" : "exclusiveMinimum"] = check.value;
      if (check.kind === "max") s[check.inclusive ? "maximum" : "exclusiveMaximum"] = check.value;
    }
    return describe(s);
  }
  if (schema instanceof z.ZodBoolean) return describe({ type: "boolean" });
  if (schema instanceof z.ZodLiteral) return describe({ const: schema._def.value });
  if (schema instanceof z.ZodEnum) return describe({ type: "string", enum: [...schema._def.values] });
  if (schema instanceof z.ZodArray) {
    const s: JsonSchema = { type: "array", items: toJsonSchema(schema._def.type) };
    if (schema._def.minLength) s.minItems = schema._def.minLength.value;
    if (schema._def.maxLength) s.maxItems = schema._def.maxLength.value;
    return describe(s);
  }
  if (schema instanceof z.ZodTuple) {
    const items = (schema._def.items as z.ZodTypeAny[]).map(toJsonSchema);
    return describe({ type: "array", prefixItems: items, minItems: items.length, maxItems: items.length });
  }
  if (schema instanceof z.ZodRecord) return describe({ type: "object", additionalProperties: toJsonSchema(schema._def.valueType) });
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodTypeAny>;
    const required = Object.entries(shape).filter(([, f]) => !f.isOptional()).map(([k]) => k);
    return describe({
      type: "object",
      properties: Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, toJsonSchema(f)])),
      ...(required.length ? { required } : {}),
      ...(schema._def.unknownKeys === "strict" ? { additionalProperties: false } : {}),
    });
  }
  if (schema instanceof z.ZodDiscriminatedUnion) {
    return describe({ oneOf: [...schema._def.options.values()].map((o: z.ZodTypeAny) => toJsonSchema(o)), discriminator: { propertyName: schema._def.discriminator } });
  }
  if (schema instanceof z.ZodUnion) return describe({ anyOf: (schema._def.options as z.ZodTypeAny[]).map(toJsonSchema) });
  return describe({});
}
