import { describe, expect, it } from "vitest";
import { quantile, summarise } from "@/scripts/bench/load-readers";

describe("load bench statistics", () => {
  it("takes nearest-rank quantiles", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(quantile(xs, 0.5)).toBe(50);
    expect(quantile(xs, 0.95)).toBe(95);
    expect(quantile(xs, 0.99)).toBe(99);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it("summarises latencies and keeps distinct error samples", () => {
    const stats = summarise("runs list", [30, 10, 20, 40], ["503 /api/runs", "503 /api/runs", "TimeoutError: x"]);
    expect(stats).toEqual({ label: "runs list", requests: 4, errors: 3, errorSamples: ["503 /api/runs", "TimeoutError: x"], p50: 20, p95: 40, p99: 40, max: 40 });
  });
});
