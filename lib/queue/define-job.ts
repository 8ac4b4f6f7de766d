import type { z } from "zod";

/**
 * A job type: a name and a payload schema. Light enough to import from app/ (to enqueue);
 * the handler lives in workers/ so heavy dependencies load only there.
 */
export interface JobDefinition<S extends z.ZodTypeAny> {
  name: string;
  schema: S;
}

export function defineJob<S extends z.ZodTypeAny>(name: string, schema: S): JobDefinition<S> {
  return { name, schema };
}
