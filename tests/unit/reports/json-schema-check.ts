type Schema = Record<string, any>;

/**
 * A small JSON Schema validator for the keywords lib/openapi/zod-json-schema.ts emits (type,
 * const, enum, properties, required, additionalProperties, items, anyOf, oneOf, bounds), so the
 * JSON export is checked against the published schema itself, not only against zod.
 * Returns the paths that fail, empty when the value is valid.
 */
export function validateJsonSchema(schema: Schema, value: unknown, at = "$"): string[] {
  const errors: string[] = [];
  const type = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
  if (schema.anyOf) return (schema.anyOf as Schema[]).some((s) => validateJsonSchema(s, value, at).length === 0) ? [] : [`${at}: matches none of anyOf`];
  if (schema.oneOf) {
    const matches = (schema.oneOf as Schema[]).filter((s) => validateJsonSchema(s, value, at).length === 0).length;
    return matches === 1 ? [] : [`${at}: matches ${matches} of oneOf`];
  }
  if ("const" in schema && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: not one of ${schema.enum.join(", ")}`);
  if (schema.type) {
    const actual = type(value);
    const ok = schema.type === actual || (schema.type === "number" && actual === "integer");
    if (!ok) return [...errors, `${at}: expected ${schema.type}, got ${actual}`];
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.items) value.forEach((v, i) => errors.push(...validateJsonSchema(schema.items, v, `${at}[${i}]`)));
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${at}.${key}: required`);
    for (const [key, v] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property) errors.push(...validateJsonSchema(property, v, `${at}.${key}`));
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object") errors.push(...validateJsonSchema(schema.additionalProperties, v, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${key}: not allowed`);
    }
  }
  return errors;
}
