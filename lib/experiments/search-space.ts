import { z } from "zod";
import { badInput } from "../errors";
import { describeIssue, fieldLabel } from "../util/field-labels";
import { Rng } from "../util/rng";

/** How one hyperparameter varies across the trials of a search. */
export const paramRangeSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("values"),
      values: z.array(z.union([z.number(), z.string(), z.boolean()])).min(1).max(100).describe("The values to try"),
    })
    .describe("A list: a grid tries every value; random search picks one uniformly per trial"),
  z
    .object({
      type: z.literal("uniform"),
      min: z.number().describe("Lower bound (inclusive)"),
      max: z.number().describe("Upper bound"),
      integer: z.boolean().default(false).describe("Round to a whole number"),
    })
    .describe("Random search only: uniform between min and max"),
  z
    .object({
      type: z.literal("log-uniform"),
      min: z.number().positive().describe("Lower bound (> 0, inclusive)"),
      max: z.number().positive().describe("Upper bound (> 0)"),
      integer: z.boolean().default(false).describe("Round to a whole number"),
    })
    .describe("Random search only: uniform in log space, for learning rates and penalties"),
]);

export const searchSpaceSchema = z
  .record(paramRangeSchema)
  .refine((space) => Object.keys(space).length > 0, { message: "name at least one hyperparameter to vary" })
  .describe("Hyperparameter name (from the model's schema) -> the values or range it takes");

export type ParamRange = z.output<typeof paramRangeSchema>;
export type SearchSpace = z.output<typeof searchSpaceSchema>;
export type ParamAssignment = Record<string, number | string | boolean>;

function checkBounds(space: SearchSpace): void {
  for (const [name, range] of Object.entries(space)) {
    if (range.type !== "values" && range.min > range.max) {
      throw badInput(`${fieldLabel(["spec", "space", name])}: min ${range.min} is above max ${range.max}`, { field: `spec.space.${name}` });
    }
  }
}

/**
 * Every listed value checked against the model's schema before any trial is planned, so "16, abc"
 * is refused as "Factors, value 2: 'abc' is not a number" rather than planned as two trials.
 */
export function checkSpaceValues(space: SearchSpace, paramsSchema: z.AnyZodObject): void {
  for (const [name, range] of Object.entries(space)) {
    const field = paramsSchema.shape[name] as z.ZodTypeAny | undefined;
    if (!field) throw badInput(`${fieldLabel(["params", name])}: not a hyperparameter of this model`, { field: `spec.space.${name}` });
    if (range.type !== "values") continue;
    range.values.forEach((value, i) => {
      const parsed = field.safeParse(value);
      if (!parsed.success) {
        const { field: at, message } = describeIssue(parsed.error.issues[0], value, ["spec", "space", name, "values", i]);
        throw badInput(message, { field: at });
      }
    });
  }
}

/** Number of grid points: the product of the list lengths. Ranges are refused: a grid needs lists. */
export function gridSize(space: SearchSpace): number {
  let size = 1;
  for (const [name, range] of Object.entries(space)) {
    if (range.type !== "values") {
      throw badInput(`${fieldLabel(["spec", "space", name])}: a grid needs a list of values; ${range.type} ranges are for random search`, { field: `spec.space.${name}` });
    }
    size *= range.values.length;
  }
  return size;
}

/** Every combination of the listed values, the last hyperparameter varying fastest. */
export function expandGrid(space: SearchSpace): ParamAssignment[] {
  gridSize(space);
  const entries = Object.entries(space);
  let points: ParamAssignment[] = [{}];
  for (const [name, range] of entries) {
    const values = (range as Extract<ParamRange, { type: "values" }>).values;
    points = points.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  }
  return points;
}

/** `trials` seeded draws from the space: the same space, trial count and seed give the same trials. */
export function sampleRandom(space: SearchSpace, trials: number, seed: number): ParamAssignment[] {
  checkBounds(space);
  const rng = new Rng(seed);
  const entries = Object.entries(space);
  return Array.from({ length: trials }, () => Object.fromEntries(entries.map(([name, range]) => [name, draw(range, rng)])));
}

function draw(range: ParamRange, rng: Rng): number | string | boolean {
  switch (range.type) {
    case "values":
      return range.values[rng.int(range.values.length)];
    case "uniform": {
      const x = range.min + rng.next() * (range.max - range.min);
      return range.integer ? Math.min(range.max, Math.round(x)) : x;
    }
    case "log-uniform": {
      const lo = Math.log(range.min), hi = Math.log(range.max);
      const x = Math.exp(lo + rng.next() * (hi - lo));
      // exp(log(x)) can overshoot a bound by an ulp; keep draws inside [min, max].
      const bounded = Math.min(range.max, Math.max(range.min, x));
      return range.integer ? Math.min(Math.floor(range.max), Math.max(Math.ceil(range.min), Math.round(bounded))) : bounded;
    }
  }
}

/** "factors=32, learningRate=0.05" (numbers to 4 significant digits). */
export function describeAssignment(assignment: Record<string, unknown>): string {
  return Object.entries(assignment)
    .map(([k, v]) => `${k}=${typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(4)) : String(v)}`)
    .join(", ");
}
