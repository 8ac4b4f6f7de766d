import { describe, expect, it } from "vitest";
import {
  orderMetricKeys,
  METRICS,
  RANKING_METRIC_IDS,
  getMetricOrThrow,
  isHigherBetter,
  metricKey,
  metricLabel,
  parseMetricKey,
} from "@/lib/metrics/registry";
import { RANKING_KERNELS } from "@/lib/metrics/ranking";

describe("metric registry", () => {
  it("lists every metric with its display name and kind", () => {
    expect(METRICS.map((m) => [m.id, m.displayName, m.kind])).toEqual([
      ["precision", "Precision", "ranking"],
      ["recall", "Recall", "ranking"],
      ["f1", "F1", "ranking"],
      ["map", "MAP", "ranking"],
      ["ndcg", "NDCG", "ranking"],
      ["mrr", "MRR", "ranking"],
      ["hit", "HitRate", "ranking"],
      ["auc", "AUC", "ranking"],
      ["coverage", "Coverage", "beyond"],
      ["gini", "Gini", "beyond"],
      ["entropy", "Entropy", "beyond"],
      ["head-exposure", "Head exposure", "beyond"],
      ["arp", "ARP", "beyond"],
      ["aplt", "APLT", "beyond"],
      ["novelty", "Novelty", "beyond"],
      ["ild", "ILD", "beyond"],
      ["miscalibration", "Miscalibration", "beyond"],
      ["serendipity", "Serendipity", "beyond"],
      ["mae", "MAE", "rating"],
      ["mse", "MSE", "rating"],
      ["rmse", "RMSE", "rating"],
    ]);
    for (const m of METRICS) expect(m.description.length).toBeGreaterThan(10);
  });

  it("says which way is better for every beyond-accuracy metric", () => {
    const lowerIsBetter = METRICS.filter((m) => !m.higherIsBetter).map((m) => m.id);
    expect(lowerIsBetter).toEqual(["gini", "head-exposure", "arp", "miscalibration", "mae", "mse", "rmse"]);
    expect(METRICS.filter((m) => !m.cutoff).map((m) => m.id)).toEqual(["auc", "mae", "mse", "rmse"]);
  });

  it("has a kernel for every top-K ranking metric", () => {
    expect(Object.keys(RANKING_KERNELS).sort()).toEqual([...RANKING_METRIC_IDS].sort());
  });

  const keys = [
    { label: "ranking", id: "ndcg", k: 10, key: "ndcg@10", text: "NDCG@10", higher: true },
    { label: "hit rate", id: "hit", k: 5, key: "hit@5", text: "HitRate@5", higher: true },
    { label: "beyond accuracy", id: "coverage", k: 20, key: "coverage@20", text: "Coverage@20", higher: true },
    { label: "lower-is-better beyond accuracy", id: "gini", k: 10, key: "gini@10", text: "Gini@10", higher: false },
    { label: "kebab-case", id: "head-exposure", k: 10, key: "head-exposure@10", text: "Head exposure@10", higher: false },
    { label: "full-ranking", id: "auc", k: undefined, key: "auc", text: "AUC", higher: true },
    { label: "rating", id: "rmse", k: undefined, key: "rmse", text: "RMSE", higher: false },
  ];
  for (const c of keys) {
    it(`builds, parses and labels a ${c.label} key`, () => {
      expect(metricKey(c.id, c.k)).toBe(c.key);
      expect(parseMetricKey(c.key)).toEqual(c.k === undefined ? { id: c.id } : { id: c.id, k: c.k });
      expect(metricLabel(c.key)).toBe(c.text);
      expect(isHigherBetter(c.key)).toBe(c.higher);
    });
  }

  const bad = [
    { label: "unknown id", key: "ndcgg@10" },
    { label: "AUC with K", key: "auc@10" },
    { label: "beyond-accuracy metric without K", key: "gini" },
    { label: "trailing hyphen", key: "head-@10" },
    { label: "ranking metric without K", key: "ndcg" },
    { label: "rating metric with K", key: "rmse@5" },
    { label: "K of 0", key: "ndcg@0" },
    { label: "malformed", key: "ndcg@ten" },
  ];
  for (const c of bad) {
    it(`rejects a key with ${c.label}`, () => expect(() => parseMetricKey(c.key)).toThrow());
  }

  it("rejects unknown ids and bad cut-offs", () => {
    expect(() => getMetricOrThrow("roc")).toThrow(/unknown metric "roc"/);
    expect(() => metricKey("ndcg")).toThrow(/cut-off/);
    expect(() => metricKey("ndcg", 2.5)).toThrow(/cut-off/);
    expect(() => metricKey("mae", 10)).toThrow(/no cut-off/);
  });
});

describe("orderMetricKeys", () => {
  it("puts the view's metric first, then accuracy before beyond-accuracy in registry order, smaller cut-offs first", () => {
    const keys = ["gini@10", "ndcg@20", "auc", "aplt@10", "ndcg@10", "recall@10", "precision@10", "coverage@10"];
    expect(orderMetricKeys(keys, "ndcg@10")).toEqual(["ndcg@10", "precision@10", "recall@10", "ndcg@20", "auc", "coverage@10", "gini@10", "aplt@10"]);
    expect(orderMetricKeys(keys).slice(0, 4)).toEqual(["precision@10", "recall@10", "ndcg@10", "ndcg@20"]);
  });
});
