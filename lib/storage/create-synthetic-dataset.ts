import { z } from "zod";
import { computeStats } from "../datasets/stats";
import { generateSyntheticCooperatively, syntheticLimitsSchema, type SyntheticProgress } from "../datasets/synthetic";
import type { Db } from "../db/client";
import { saveDataset } from "./dataset-repository";

export const createSyntheticSchema = z.object({
  name: z.string().trim().min(1).max(200).default("Synthetic demo").describe("Display name of the dataset"),
  options: syntheticLimitsSchema.default({}).describe("Generator options; omitted ones take their defaults"),
});

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
  const { name, options } = createSyntheticSchema.parse(input);
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
