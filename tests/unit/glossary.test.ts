import { describe, expect, it } from "vitest";
import { GLOSSARY, glossaryEntry, metricGlossaryEntry, metricsMissingFromGlossary } from "@/lib/glossary";
import { METRICS } from "@/lib/metrics/registry";

describe("glossary", () => {
  it("explains every metric of the registry", () => {
    expect(metricsMissingFromGlossary()).toEqual([]);
    for (const metric of METRICS) expect(glossaryEntry(metric.id)?.short.length, metric.id).toBeGreaterThan(20);
  });

  it("has one entry per id", () => {
    const ids = GLOSSARY.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("explains the statistical and protocol terms the pages use", () => {
    for (const id of ["p-value", "holm", "bootstrap-ci", "paired-test", "wilcoxon", "leave-one-out", "auto-split", "k-fold", "early-stopping", "srm", "lift", "ctr"]) {
      expect(glossaryEntry(id), id).toBeDefined();
    }
  });

  it("finds a metric's entry from its result key, cut-off or not", () => {
    expect(metricGlossaryEntry("ndcg@10")?.term).toBe("NDCG@K");
    expect(metricGlossaryEntry("rmse")?.term).toBe("RMSE");
    expect(metricGlossaryEntry("head-exposure@20")?.id).toBe("head-exposure");
    expect(metricGlossaryEntry("nonsense@10")).toBeUndefined();
  });
});
