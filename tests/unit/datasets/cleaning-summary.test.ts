import { describe, expect, it } from "vitest";
import { describeCleaning, describeStoredCleaning } from "@/lib/datasets/cleaning-summary";
import { describeTies } from "@/lib/datasets/describe-ties";
import { importDataset } from "@/lib/datasets/import";
import { splitForRun } from "@/lib/experiments/prepare-data";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const report = (dropped: Partial<Record<"duplicates" | "missingIds" | "outOfRange" | "belowThreshold" | "kCore", number>>, clipped = 0) => ({
  rowsRead: 1000,
  rowsKept: 1000 - Object.values(dropped).reduce((a, b) => a + (b ?? 0), 0),
  dropped: { duplicates: 0, missingIds: 0, outOfRange: 0, belowThreshold: 0, kCore: 0, ...dropped },
  clipped,
});

describe("describeCleaning", () => {
  it("says how many duplicates were merged and by which rule", () => {
    expect(describeCleaning({}, report({ duplicates: 12 }))[0]).toBe(
      "12 duplicate (user, item) rows merged — kept the latest by timestamp (ties: the later row in the file).",
    );
    expect(describeCleaning({ dedupe: "keep-first" }, report({ duplicates: 1 }))[0]).toBe(
      "1 duplicate (user, item) row merged — kept the earliest by timestamp (ties: the earlier row in the file).",
    );
    expect(describeCleaning({ dedupe: "none" }, report({}))[0]).toBe("Repeated (user, item) pairs: not merged (all rows kept).");
  });

  it("lists the other drops and the rows kept", () => {
    const lines = describeCleaning({}, report({ missingIds: 2, kCore: 530 }, 4));
    expect(lines).toContain("2 rows without a user or item id dropped.");
    expect(lines).toContain("4 ratings clipped into the valid range.");
    expect(lines).toContain("530 rows removed by k-core filtering.");
    expect(lines.at(-1)).toBe("468 of 1,000 rows kept.");
  });

  it("reads a stored preprocessing record and ignores records without a report", () => {
    expect(describeStoredCleaning({ options: {}, report: report({ duplicates: 3 }) })[0]).toMatch(/^3 duplicate/);
    expect(describeStoredCleaning({ generator: { numUsers: 10 } })).toEqual([]);
  });

  it("counts the duplicates of a real import", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "reclab-clean-"));
    const file = path.join(dir, "u.data");
    writeFileSync(file, ["1\t10\t5\t100", "1\t10\t3\t200", "2\t10\t4\t100", "1\t11\t4\t100"].join("\n"));
    const { report: r } = await importDataset({ format: "movielens-100k", files: { ratings: file } });
    expect(describeCleaning(undefined, r)[0]).toMatch(/^1 duplicate \(user, item\) row merged/);
  });
});

describe("time-based splits and missing timestamps", () => {
  it("refuses a temporal split on a dataset without timestamps, naming the alternatives", () => {
    const dataset = {
      numUsers: 1,
      numItems: 3,
      table: { users: Int32Array.of(0, 0, 0), items: Int32Array.of(0, 1, 2), ratings: Float32Array.of(1, 1, 1), timestamps: new Float64Array(3) },
      userIds: ["a"],
      itemIds: ["x", "y", "z"],
      feedback: "implicit" as const,
      hasTimestamps: false,
    };
    expect(() => splitForRun(dataset, { split: { kind: "temporal", ratios: [0.8, 0.1, 0.1], seed: 42 }, fitOn: "train" })).toThrow("a temporal split needs timestamps");
    expect(splitForRun(dataset, { split: { kind: "leave-one-out", seed: 42 }, fitOn: "train" }).rows.ties).toEqual({ users: 1, tiedUsers: 1 });
  });

  it("words the tie warning with the share of users", () => {
    expect(describeTies({ users: 200, tiedUsers: 50 })).toMatch(/^For 25% of users \(50 of 200\)/);
    expect(describeTies({ users: 10, tiedUsers: 10 })).toMatch(/^For every user \(10 of 10\)/);
  });
});
