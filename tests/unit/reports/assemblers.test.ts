import { describe, expect, it } from "vitest";
import { assembleExperimentReport } from "@/lib/reports/assemble/experiment";
import { assembleRunReport } from "@/lib/reports/assemble/run";
import type { ReportChart, ReportDocument, ReportTable, ReportText } from "@/lib/reports/document";
import { layoutChart } from "@/lib/reports/render/chart-layout";
import type { ExperimentDetail, ExperimentRun, RunDetail } from "@/lib/server/dto";
import { GENERATED_AT, SPLIT } from "./fixtures";

const blocks = (doc: ReportDocument) => doc.sections.flatMap((s) => s.blocks);
const table = (doc: ReportDocument, id: string) => blocks(doc).find((b): b is ReportTable => b.type === "table" && b.id === id)!;
const chart = (doc: ReportDocument, id: string) => blocks(doc).find((b): b is ReportChart => b.type === "chart" && b.id === id)!;
const findings = (doc: ReportDocument) => blocks(doc).filter((b): b is ReportText => b.type === "text" && b.tone === "finding").map((b) => b.text);

const run: RunDetail = {
  id: "r1", name: "EASE λ=50", datasetId: "d1", datasetName: "ML-100K", modelId: "ease", modelName: "EASE", status: "SUCCEEDED", progress: 1, progressText: null,
  backend: "js", metrics: null, error: null, createdAt: "", startedAt: null, finishedAt: null, experimentId: null, role: null, variantOf: null, job: null,
  config: { modelId: "ease", params: { lambda: 50 }, split: SPLIT, seed: 7, monitor: "ndcg@10" },
  trainingPhases: [],
  result: {
    test: { rmse: 0.9, "ndcg@10": 0.25, "ndcg@5": 0.2 },
    validation: { "ndcg@10": 0.26 },
    fit: { seconds: 1.25, bestEpoch: 3, epochsRun: 5, stoppedEarly: true },
    evaluation: { seconds: 0.1, users: 943 },
  },
};

describe("run report", () => {
  const doc = assembleRunReport({ run, history: { "validation/ndcg@10": [{ step: 1, value: 0.1 }, { step: 2, value: 0.2 }], "train/loss": [{ step: 1, value: 3 }] }, generatedAt: GENERATED_AT });

  it("tables the test metrics with their UI labels and directions, in reading order", () => {
    expect(table(doc, "test-metrics").rows).toEqual([
      ["NDCG@5", 0.2, "higher is better"],
      ["NDCG@10", 0.25, "higher is better"],
      ["RMSE", 0.9, "lower is better"],
    ]);
    expect(table(doc, "hyperparameters").rows).toEqual([["lambda", 50]]);
  });

  it("draws the monitored validation curve and states provenance and the fit", () => {
    expect(chart(doc, "learning-curve")).toMatchObject({ kind: "line", xKey: "step", series: [{ key: "validation/ndcg@10", label: "validation NDCG@10" }], points: [{ step: 1, "validation/ndcg@10": 0.1 }, { step: 2, "validation/ndcg@10": 0.2 }] });
    expect(doc.provenance.find((p) => p.label === "Seed")?.value).toBe("7");
    expect(doc.provenance.find((p) => p.label === "Split")?.value).toBe("random 8:1:1 split with seed 42");
    expect(blocks(doc).some((b) => b.type === "text" && b.text === "Fitted in 1.3 s over 5 epochs; best epoch 3 (stopped early). Evaluated on 943 users.")).toBe(true);
  });
});

const trial = (i: number, validation: Record<string, number>, over: Partial<ExperimentRun> = {}): ExperimentRun => ({
  id: `t${i}`, name: `trial ${i + 1}`, role: "trial", trialIndex: i, status: "SUCCEEDED", progress: 1, progressText: null, params: { factors: 8 * (i + 1) }, seed: 42,
  validation, test: null, bestEpoch: 2, fitSeconds: 1, error: null, ...over,
});
const experiment = (over: Partial<ExperimentDetail>): ExperimentDetail => ({
  id: "e1", name: "search", kind: "grid", datasetId: "d1", datasetName: "ML-100K", modelId: "als", modelName: "ALS", status: "SUCCEEDED", selectionMetric: "rmse",
  totalRuns: 3, doneRuns: 3, runningRuns: 0, failedRuns: 0, progressText: "done", etaSeconds: null, best: null, error: null, createdAt: "", startedAt: null, finishedAt: null,
  baseConfig: { modelId: "als", split: SPLIT }, spec: { kind: "grid" }, varying: ["factors"], runs: [], finalRun: null, result: null, foldMean: null, ...over,
});

describe("experiment report", () => {
  it("ranks a search's leaderboard by each metric's direction (lower RMSE first) and states the selected configuration's test result", () => {
    const runs = [trial(0, { rmse: 0.95 }), trial(1, { rmse: 0.9 }), trial(2, { rmse: 0.92 })];
    const final = trial(3, { rmse: 0.9 }, { id: "f", name: "final", role: "final", params: { factors: 16 }, test: { rmse: 0.91 } });
    const doc = assembleExperimentReport({
      experiment: experiment({ runs, finalRun: final, result: { kind: "search", selectionMetric: "rmse", bestTrialRunId: "t1", bestValidation: 0.9, finalRunId: "f", finalFit: "train" } }),
      backends: ["js"],
      generatedAt: GENERATED_AT,
    });
    expect(table(doc, "leaderboard").rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([[1, "trial 2", 16, 0.9], [2, "trial 3", 24, 0.92], [3, "trial 1", 8, 0.95]]);
    expect(findings(doc)).toEqual(["RMSE: validation 0.9000 (best trial), test 0.9100 (final run)."]);
    expect(table(doc, "best-configuration").rows).toEqual([["factors", 16]]);
    expect(table(doc, "test-result").rows).toEqual([["RMSE", 0.91, "lower is better"]]);
  });

  it("gives mean ± sd over cross-validation folds", () => {
    const doc = assembleExperimentReport({
      experiment: experiment({ kind: "cv", selectionMetric: "ndcg@10", result: { kind: "cv", foldRunIds: ["a", "b", "c"], metrics: { "ndcg@10": { mean: 0.2, std: 0.01, folds: [0.19, 0.2, 0.21] } } } }),
      backends: [],
      generatedAt: GENERATED_AT,
    });
    expect(findings(doc)).toEqual(["NDCG@10 = 0.2000 ± 0.0100 (mean ± sd over 3 folds)."]);
    expect(table(doc, "folds").rows).toEqual([["NDCG@10", 0.2, 0.01, 0.19, 0.2, 0.21, "higher is better"]]);
  });

  it("words ablation deltas by direction and significance", () => {
    const doc = assembleExperimentReport({
      experiment: experiment({
        kind: "ablation",
        selectionMetric: "ndcg@10",
        result: {
          kind: "ablation",
          seeds: [1, 2],
          variants: [
            { name: "base", runIds: [], metrics: { "ndcg@10": 0.3 }, deltas: {} },
            { name: "no bias", runIds: [], metrics: { "ndcg@10": 0.25 }, deltas: { "ndcg@10": { delta: -0.05, low: -0.07, high: -0.03, p: 0.001 } } },
            { name: "more factors", runIds: [], metrics: { "ndcg@10": 0.31 }, deltas: { "ndcg@10": { delta: 0.01, low: -0.01, high: 0.03, p: 0.4 } } },
          ],
        },
      }),
      backends: [],
      generatedAt: GENERATED_AT,
    });
    expect(findings(doc)).toEqual(["no bias: Δ NDCG@10 −0.0500 [-0.0700, -0.0300], Holm p = 0.001: significantly worse."]);
    expect(chart(doc, "ablation-deltas").points).toEqual([{ variant: "no bias", delta: -0.05, low: -0.07, high: -0.03 }, { variant: "more factors", delta: 0.01, low: -0.01, high: 0.03 }]);
  });
});

describe("chart layout", () => {
  it("labels whole-number x (epochs) with whole numbers only", () => {
    const c: ReportChart = { type: "chart", id: "c", caption: "c", kind: "line", xKey: "step", series: [{ key: "v", label: "v" }], points: [1, 2, 3, 4].map((step) => ({ step, v: step / 10 })) };
    const below = layoutChart(c, 400, 200).marks.filter((m) => m.type === "text" && m.anchor === "middle" && !m.angle).map((m) => (m as { text: string }).text);
    expect(below).toEqual(["1", "2", "3", "4"]);
  });

  it("puts whiskers where the bar's own scale puts their values", () => {
    const c: ReportChart = { type: "chart", id: "c", caption: "c", kind: "interval", xKey: "x", series: [{ key: "v", label: "v" }], lowKey: "lo", highKey: "hi", points: [{ x: "a", v: 0.2, lo: 0.1, hi: 0.3 }] };
    const marks = layoutChart(c, 400, 200).marks;
    const bar = marks.find((m) => m.type === "rect")!;
    const whisker = marks.filter((m) => m.type === "line" && m.stroke === "#1b1f24")[0] as { y1: number; y2: number };
    if (bar.type !== "rect") throw new Error("no bar");
    const zeroY = bar.y + bar.height, perUnit = bar.height / 0.2;
    expect(whisker.y1).toBeCloseTo(zeroY - 0.1 * perUnit, 6);
    expect(whisker.y2).toBeCloseTo(zeroY - 0.3 * perUnit, 6);
    // About 5 intervals over [0, 0.3]: 0.06 rounds up to the 1-2-5 step 0.1, so 0, 0.1, 0.2, 0.3.
    expect(marks.filter((m) => m.type === "text" && m.anchor === "end" && !m.angle).map((m) => (m as { text: string }).text)).toEqual(["0.0", "0.1", "0.2", "0.3"]);
  });
});
