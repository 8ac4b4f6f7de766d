import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeIssue, fieldLabel, humanize } from "@/lib/util/field-labels";
import { parseList } from "@/lib/util/parse-list";

describe("field labels", () => {
  it.each([
    ["split.ratios", "Split ratios"],
    ["config.split.ratios", "Split ratios"],
    ["base.split.ratios.2", "Split ratios, test"],
    ["spec.space.factors.values.1", "Factors, value 2"],
    ["spec.space.learningRate.min", "Learning rate, minimum"],
    ["params.learningRate", "Learning rate"],
    ["spec.seeds.0", "Seeds, value 1"],
    ["spec.variants.1.name", "Variant 2 name"],
    ["selectionMetric", "Selection metric"],
    ["split.foldInRatio", "Fold-in share"],
    ["", "Input"],
  ])("%s reads %s", (path, label) => {
    expect(fieldLabel(path)).toBe(label);
  });

  it("humanizes camelCase and snake_case names", () => {
    expect(humanize("learningRateDecay")).toBe("Learning rate decay");
    expect(humanize("l2_reg")).toBe("L2 reg");
  });

  it("words a zod issue with the value at fault", () => {
    const schema = z.object({ spec: z.object({ space: z.object({ factors: z.object({ values: z.array(z.number()) }) }) }) });
    const input = { spec: { space: { factors: { values: [16, "abc"] } } } };
    const issue = schema.safeParse(input).error!.issues[0];
    expect(describeIssue(issue, input)).toEqual({ field: "spec.space.factors.values.1", message: "Factors, value 2: 'abc' is not a number" });
    const missing = z.object({ datasetId: z.string() }).safeParse({}).error!.issues[0];
    expect(describeIssue(missing, {}).message).toBe("Dataset is required");
  });
});

describe("list fields of the forms", () => {
  it('reads "16, abc" as one error naming \'abc\', not two values', () => {
    expect(parseList("16, abc", "integer", "Factors")).toEqual({ values: [16], errors: ["Factors, value 2: 'abc' is not a number"] });
    expect(parseList(" 8, 16 ,32,", "integer", "Factors")).toEqual({ values: [8, 16, 32], errors: [] });
    expect(parseList("0.5", "integer", "Factors").errors).toEqual(["Factors, value 1: '0.5' is not a whole number"]);
    expect(parseList("true, maybe", "boolean", "Item bias").errors).toEqual(["Item bias, value 2: 'maybe' is not true or false"]);
    expect(parseList("", "number", "Learning rate").errors).toEqual(["Learning rate: give at least one value"]);
  });
});
