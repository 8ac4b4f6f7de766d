// CONTRACT STUB — replaced by the bandit policies. Keep the exported names and shapes.
import { z } from "zod";
import type { Csr } from "../../datasets/types";
import type { SlatePolicy } from "../../simulation/types";

export const BANDIT_KINDS = ["epsilon-greedy", "linucb", "thompson", "dqn"] as const;
export type BanditKind = (typeof BANDIT_KINDS)[number];

/** Parameters of each bandit kind, with defaults and .describe() text (the A/B form reads them). */
export const banditParamsSchemas: Record<BanditKind, z.ZodObject<z.ZodRawShape>> = {
  "epsilon-greedy": z.object({}),
  linucb: z.object({}),
  thompson: z.object({}),
  dqn: z.object({}),
};

/** A policy that learns online from the outcomes it observes (observe() is implemented). */
export async function createBanditPolicy(
  _kind: BanditKind,
  _params: Record<string, unknown>,
  _context: { numItems: number; numUsers: number; train: Csr; seed: number },
): Promise<SlatePolicy> {
  throw new Error("not implemented");
}
