import { z } from "zod";
import { computeStats } from "../datasets/stats";
import {
  generateSyntheticCooperatively,
  SYNTHETIC_PRESET_IDS,
  SYNTHETIC_PRESETS,
  syntheticLimitsSchema,
  type SyntheticProgress,
} from "../datasets/synthetic";
import type { Db } from "../db/client";
import { saveDataset } from "./dataset-repository";

export const createSyntheticSchema = z.object({
  name: z.string().trim().min(1).max(200).default("Synthetic demo").describe("Display name of the dataset"),
  preset: z
    .enum(SYNTHETIC_PRESET_IDS)
    .optional()
    .describe('Named option set under `options`, e.g. "movielens-20m" (138,000 users, 27,000 items, ~20M interactions)'),
  options: syntheticLimitsSchema.default({}).describe("Generator options; omitted ones take the preset's values, then their defaults"),
});

/**
 * Parses a request body: a known preset's options are filled in under the given ones before
 * validation, so the limits apply to what will run; an unknown preset fails in the schema.
 */
export function parseCreateSynthetic(raw: unknown): z.infer<typeof createSyntheticSchema> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return createSyntheticSchema.parse(raw);
  const body = raw as { preset?: unknown; options?: unknown };
  if (typeof body.preset !== "string" || !Object.hasOwn(SYNTHETIC_PRESETS, body.preset)) return createSyntheticSchema.parse(raw);
  const given = typeof body.options === "object" && body.options !== null ? body.options : {};
  return createSyntheticSchema.parse({ ...body, options: { ...SYNTHETIC_PRESETS[body.preset as keyof typeof SYNTHETIC_PRESETS], ...given } });
}

/**
 * Generates a synthetic dataset with known latent-factor ground truth and stores it. The
 * generator yields to the event loop every few hundred milliseconds and calls `onProgress`,
 * which may throw to stop it (a cancelled job). Work grows with the options: in a server,
 * call it from a job (workers/handlers/generate-synthetic.ts), never from a request.
 */
export async function createSyntheticDataset(
  db: Db,
  input: z.input<typeof createSyntheticSchema>,
  owner: { teamId?: string; createdById?: string | null } = {},
  onProgress: (progress: SyntheticProgress) => Promise<void> | void = () => undefined,
): Promise<{ id: string }> {
  const { name, options } = parseCreateSynthetic(input);
  const { truth: _truth, ...dataset } = await generateSyntheticCooperatively(options, onProgress);
  return saveDataset(db, {
    name,
    source: "synthetic",
    dataset,
    stats: computeStats(dataset),
    preprocessing: { generator: options },
    ...owner,
  });
}
