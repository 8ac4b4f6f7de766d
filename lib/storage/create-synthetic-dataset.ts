import { z } from "zod";
import { computeStats } from "../datasets/stats";
import { generateSynthetic, syntheticOptionsSchema } from "../datasets/synthetic";
import type { Db } from "../db/client";
import { saveDataset } from "./dataset-repository";

export const createSyntheticSchema = z.object({
  name: z.string().trim().min(1).max(200).default("Synthetic demo"),
  options: syntheticOptionsSchema.partial().default({}),
});

/** Generates a synthetic dataset with known latent-factor ground truth and stores it. */
export async function createSyntheticDataset(
  db: Db,
  input: z.input<typeof createSyntheticSchema>,
  owner: { teamId?: string; createdById?: string | null } = {},
): Promise<{ id: string }> {
  const { name, options } = createSyntheticSchema.parse(input);
  const { truth: _truth, ...dataset } = generateSynthetic(options);
  return saveDataset(db, {
    name,
    source: "synthetic",
    dataset,
    stats: computeStats(dataset),
    preprocessing: { generator: options },
    ...owner,
  });
}
