import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeFields } from "@/lib/util/zod-fields";

describe("describeFields", () => {
  it("reads type, default, bounds, options and description of each field", () => {
    const schema = z.object({
      factors: z.number().int().min(1).max(512).default(64).describe("latent dimensions"),
      lr: z.number().positive().default(0.01),
      similarity: z.enum(["cosine", "adjusted-cosine"]).default("cosine"),
      bias: z.boolean().default(true),
      note: z.string().optional(),
    });
    expect(describeFields(schema)).toEqual([
      { name: "factors", kind: "integer", default: 64, min: 1, max: 512, optional: false, description: "latent dimensions" },
      { name: "lr", kind: "number", default: 0.01, min: 0, optional: false, description: undefined },
      { name: "similarity", kind: "enum", default: "cosine", options: ["cosine", "adjusted-cosine"], optional: false, description: undefined },
      { name: "bias", kind: "boolean", default: true, optional: false, description: undefined },
      { name: "note", kind: "string", optional: true, description: undefined },
    ]);
  });
});
