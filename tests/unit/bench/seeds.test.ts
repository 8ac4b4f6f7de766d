import { describe, expect, it } from "vitest";
import { formatSeedTable, parseSeedList } from "@/scripts/bench/seeds";

describe("bench --seeds", () => {
  it("expands ranges and lists in order", () => {
    expect(parseSeedList("1-3,42")).toEqual([1, 2, 3, 42]);
    expect(parseSeedList(" 7 ")).toEqual([7]);
  });

  it("refuses descending ranges, words and empty lists with the offending part named", () => {
    expect(() => parseSeedList("5-1")).toThrow('"5-1" is not a seed');
    expect(() => parseSeedList("1,x")).toThrow('"x" is not a seed');
    expect(() => parseSeedList(",")).toThrow("at least one seed");
  });

  it("prints every seed's value, the mean and the sample standard deviation", () => {
    const text = formatSeedTable("ndcg@10", [1, 2, 3], [{ model: "EASE", values: [0.3, 0.32, 0.34] }]);
    const row = text.split("\n").find((l) => l.startsWith("EASE"))!;
    // mean .32; sd = sqrt((.02² + 0 + .02²) / 2) = .02
    expect(row.split(/\s+/)).toEqual(["EASE", "0.3000", "0.3200", "0.3400", "0.3200", "0.0200"]);
  });
});
