import { z } from "zod";
import { simulatorConfigSchema } from "../simulation/environment";
import { BANDIT_KINDS, banditParamsSchemas } from "../models/bandits";

/**
 * What an A/B test is made of, checked at the API boundary before anything is queued. The
 * limits bound the simulation job (users × sessions × slate size × arms impressions); the new
 * test form is generated from these schemas, so their .describe() texts are the form's labels.
 */
export const AB_LIMITS = {
  minArms: 2,
  maxArms: 4,
  maxUsers: 50_000,
  maxSessionsPerUser: 50,
  maxSlateSize: 20,
  /** Visits (users × sessions) one simulated test may have: 500,000 ≈ 10× the acceptance workload. */
  maxVisits: 500_000,
  maxEpsilon: 0.5,
} as const;

export const AB_SOURCES = ["simulated", "imported"] as const;
export type AbSource = (typeof AB_SOURCES)[number];

const label = z.string().trim().min(1).max(60).optional().describe("Name shown for the arm (defaults to the run's or bandit's name)");

export const runArmSchema = z.object({
  kind: z.literal("run"),
  runId: z.string().min(1).describe("A finished run of the test's dataset"),
  label,
  epsilon: z
    .number({ invalid_type_error: "exploration must be a number between 0 and 0.5" })
    .min(0, "exploration must be between 0 and 0.5")
    .max(AB_LIMITS.maxEpsilon, "exploration must be between 0 and 0.5")
    .default(0.05)
    .describe("Exploration: share of slots filled with a random item, so this arm's log supports off-policy estimates (0: none)"),
});

export const banditArmSchema = z.object({
  kind: z.literal("bandit"),
  bandit: z.enum(BANDIT_KINDS).describe("Bandit or RL policy that learns online during the test"),
  label,
  params: z.record(z.unknown()).default({}).describe("The policy's parameters (defaults filled in)"),
});

export const abArmSchema = z.discriminatedUnion("kind", [runArmSchema, banditArmSchema]);
export type AbArmInput = z.infer<typeof abArmSchema>;

const count = (what: string, min: number, max: number) =>
  z
    .number({ invalid_type_error: `${what} must be a whole number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} may be at most ${max.toLocaleString("en-US")}`);

export const createAbTestSchema = z
  .object({
    name: z.string().trim().min(1, "give the test a name").max(200).describe("Test name"),
    datasetId: z.string().min(1, "choose a dataset").describe("Dataset the simulated users and the ground truth come from"),
    arms: z
      .array(abArmSchema)
      .min(AB_LIMITS.minArms, `an A/B test needs ${AB_LIMITS.minArms} to ${AB_LIMITS.maxArms} arms`)
      .max(AB_LIMITS.maxArms, `an A/B test needs ${AB_LIMITS.minArms} to ${AB_LIMITS.maxArms} arms`)
      .describe("Arms; the first is the control"),
    ratio: z
      .array(z.number().positive("each ratio weight must be above 0").max(100, "each ratio weight may be at most 100"))
      .optional()
      .describe("Assignment weights per arm, e.g. [1, 1] (default: equal)"),
    users: count("users", 100, AB_LIMITS.maxUsers).default(5000).describe("Users (simulated visitors randomised to the arms)"),
    sessionsPerUser: count("sessions per user", 1, AB_LIMITS.maxSessionsPerUser).default(10).describe("Sessions per user (at most; users may leave)"),
    slateSize: count("slate size", 1, AB_LIMITS.maxSlateSize).default(10).describe("Slate size (items shown per visit)"),
    simulator: simulatorConfigSchema.default({}).describe("Simulator assumptions"),
    seed: count("seed", 0, 2 ** 31 - 1).default(42).describe("Seed (same seed, same test)"),
  })
  .superRefine((test, ctx) => {
    if (test.ratio && test.ratio.length !== test.arms.length) {
      ctx.addIssue({ code: "custom", path: ["ratio"], message: `give one ratio weight per arm (${test.arms.length} arms, ${test.ratio.length} weights)` });
    }
    if (test.users * test.sessionsPerUser > AB_LIMITS.maxVisits) {
      ctx.addIssue({
        code: "custom",
        path: ["sessionsPerUser"],
        message: `users × sessions per user may be at most ${AB_LIMITS.maxVisits.toLocaleString("en-US")} (asked ${(test.users * test.sessionsPerUser).toLocaleString("en-US")})`,
      });
    }
    test.arms.forEach((arm, i) => {
      if (arm.kind !== "bandit") return;
      const parsed = banditParamsSchemas[arm.bandit].safeParse(arm.params);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ["arms", i, "params", ...issue.path] });
      }
    });
  });
export type CreateAbTestInput = z.input<typeof createAbTestSchema>;
export type AbTestSpec = z.infer<typeof createAbTestSchema>;

/** The stored config of a simulated test: the spec with every default filled in and the arms resolved. */
export interface SimulatedAbConfig extends Omit<AbTestSpec, "arms" | "ratio"> {
  ratio: number[];
  arms: (AbArmInput & { armId: string; label: string; modelId?: string })[];
}

/** The stored config of an imported test. */
export interface ImportedAbConfig {
  fileName: string;
  bytes: number;
  /** Arm order as given at import (the first is the control) and the recorded ratio. */
  ratio: number[] | null;
}

/** The power/MDE planner's input (POST /api/ab-tests/plan). */
export const planAbTestSchema = z.object({
  baselineRate: z
    .number({ invalid_type_error: "baseline rate must be a number" })
    .gt(0, "baseline rate must be above 0")
    .lt(1, "baseline rate must be below 1")
    .describe("Baseline rate of the control arm, e.g. a CTR of 0.05"),
  relativeLift: z
    .number({ invalid_type_error: "lift must be a number" })
    .min(0.001, "lift must be at least 0.1%")
    .max(10, "lift may be at most 1000%")
    .describe("Relative lift to detect, e.g. 0.02 for +2%"),
  alpha: z.number().min(0.0001).max(0.2).default(0.05).describe("Significance level"),
  power: z.number().min(0.5).max(0.99).default(0.8).describe("Power"),
  arms: z.number().int().min(AB_LIMITS.minArms).max(AB_LIMITS.maxArms).default(2).describe("Arms"),
});
