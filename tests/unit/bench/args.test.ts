import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "@/scripts/bench/args";

describe("bench arguments", () => {
  it("splits as the reference script does unless told otherwise", () => {
    const args = parseBenchArgs(["--dataset", "u.data"]);
    expect(args).toMatchObject({ shuffle: "numpy", seed: 42, k: 10, format: "movielens-100k", models: ["pop", "item-knn", "mf", "bpr"] });
    expect(parseBenchArgs(["--dataset", "u.data", "--shuffle", "reclab"]).shuffle).toBe("reclab");
  });

  it.each([
    { argv: ["--dataset", "x", "--shuffle", "random"], message: '--shuffle must be numpy or reclab, got "random"' },
    { argv: ["--dataset", "x", "--params", "[1]"], message: "--params must be a JSON object" },
    { argv: ["--dataset", "x", "--format", "xlsx"], message: 'unknown --format "xlsx"' },
    { argv: ["--format", "csv"], message: "give --dataset and/or --rating-splits" },
  ])("refuses $argv with a specific message", ({ argv, message }) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
