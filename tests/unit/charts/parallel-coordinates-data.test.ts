import { describe, expect, it } from "vitest";
import { MISSING_LABEL, parallelCoordinatesData } from "@/app/_components/charts/parallel-coordinates-data";
import { varyingParams } from "@/lib/experiments/experiment-views";
import { getModelDefinition } from "@/lib/models/registry";

const defaults = (id: string) => getModelDefinition(id).paramsSchema.parse({}) as Record<string, unknown>;

describe("parallel-coordinates data", () => {
  const bpr = defaults("bpr");
  const ease = defaults("ease");
  const axes = varyingParams([bpr, ease]);
  const lines = [
    { id: "a", label: "BPR-MF on demo", values: bpr, metric: 0.171 },
    { id: "b", label: "EASE on demo", values: ease, metric: 0.342 },
  ];

  it("of a BPR + EASE comparison has no undefined values: missing parameters are a — notch", () => {
    const data = parallelCoordinatesData(lines, axes, { metricLabel: "NDCG@10", maxAxes: 50 });
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/undefined|NaN|null/);
    expect(data.axes.length).toBe(axes.length + 1);
    for (const axis of data.axes) {
      expect(axis.label).not.toBe("undefined");
      for (const tick of axis.ticks) expect(Number.isFinite(tick.t) && tick.label !== "undefined").toBe(true);
    }
    for (const line of data.lines) {
      expect(line.points).toHaveLength(data.axes.length);
      for (const p of line.points) expect(p.t).toBeGreaterThanOrEqual(0);
    }
    // Each model lacks the other's parameters: every parameter axis has the notch.
    expect(data.axes.slice(0, -1).every((a) => a.hasMissing && a.ticks[0].label === MISSING_LABEL)).toBe(true);
  });

  it("limits the axes to the room given, keeps the metric last, and lists the rest", () => {
    const data = parallelCoordinatesData(lines, axes, { metricLabel: "NDCG@10", maxAxes: 4 });
    expect(data.axes).toHaveLength(4);
    expect(data.axes[3].title).toBe("NDCG@10");
    expect(data.hidden).toHaveLength(axes.length - 3);
  });

  it("ticks the metric axis at 1-2-5 steps", () => {
    const data = parallelCoordinatesData(lines, axes, { metricLabel: "NDCG@10", maxAxes: 2 });
    expect(data.axes.at(-1)!.ticks.map((t) => t.label)).toEqual(["0.15", "0.20", "0.25", "0.30", "0.35"]);
  });
});
