import { z } from "zod";

/** Input of the sample-size planner (requiredUsersPerArm), for an API or a form. */
export const sampleSizeInputSchema = z
  .object({
    baselineRate: z.number().gt(0).lt(1).describe("Control's rate of the metric (e.g. CTR 0.05), between 0 and 1"),
    relativeLift: z.number().gt(-1).refine((v) => v !== 0, "a lift of 0 cannot be detected").describe("Relative lift to detect, e.g. 0.05 for +5%"),
    alpha: z.number().gt(0).lt(0.5).default(0.05).describe("Two-sided significance level across the treatment arms"),
    power: z.number().gte(0.5).lt(1).default(0.8).describe("Probability of detecting the lift"),
    arms: z.number().int().min(2).max(4).default(2).describe("Arms including the control"),
  })
  .refine((v) => v.baselineRate * (1 + v.relativeLift) < 1, {
    message: "the lift takes the rate to 1 or above",
    path: ["relativeLift"],
  });

/** Input of the inverse planner (minimumDetectableLift). */
export const mdeInputSchema = z.object({
  baselineRate: z.number().gt(0).lt(1).describe("Control's rate of the metric, between 0 and 1"),
  usersPerArm: z.number().int().min(2).max(1_000_000_000).describe("Users each arm will get"),
  alpha: z.number().gt(0).lt(0.5).default(0.05).describe("Two-sided significance level across the treatment arms"),
  power: z.number().gte(0.5).lt(1).default(0.8).describe("Probability of detecting the lift"),
  arms: z.number().int().min(2).max(4).default(2).describe("Arms including the control"),
});
