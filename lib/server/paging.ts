import { z } from "zod";
import { badInput } from "../errors";

/**
 * What the paged list endpoints share: query parsing that names the bad parameter, and opaque
 * cursors (base64url JSON) that refuse anything the API did not hand out.
 */

/** Parses URL search params with `schema`; a bad value is BAD_INPUT naming the parameter. */
export function parseQueryParams<S extends z.ZodTypeAny>(schema: S, params: URLSearchParams): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(params));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue.path[0] ?? "query");
  throw badInput(`${field}: ${issue.message}`, { field });
}

/** Encodes and decodes a cursor whose contents `schema` validates. */
export function cursorCodec<S extends z.ZodTypeAny>(schema: S) {
  return {
    encode: (cursor: z.output<S>): string => Buffer.from(JSON.stringify(cursor)).toString("base64url"),
    decode(cursor: string): z.output<S> {
      try {
        return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
      } catch {
        throw badInput("cursor: not a cursor this API returned; start again without it", { field: "cursor" });
      }
    },
  };
}
