import { describe, expect, it } from "vitest";
import { categoryLayout, truncateLabel } from "@/lib/util/chart-labels";

describe("category axis labels", () => {
  it("truncates with an ellipsis only past the limit", () => {
    expect(truncateLabel("BPR-MF on demo", 18)).toBe("BPR-MF on demo");
    expect(truncateLabel("SASRec on demo, leave-one-out", 18)).toBe("SASRec on demo, l…");
  });
  const cases: [string, string[], number, number][] = [
    ["short labels on a wide plot stay level", ["1", "2", "3", "4", "5"], 600, 0],
    ["run names on a phone slant", ["BPR-MF on demo", "EASE on demo"], 150, -35],
    ["many months go vertical", Array.from({ length: 60 }, (_, i) => `2020-${i}`), 600, -90],
  ];
  it.each(cases)("%s", (_label, labels, width, angle) => {
    const layout = categoryLayout(labels, width);
    expect(layout.angle).toBe(angle);
    expect(layout.height).toBeGreaterThanOrEqual(30);
  });
});
