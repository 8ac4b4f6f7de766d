import { describe, expect, it } from "vitest";
import { assembleAbTestReport } from "@/lib/reports/assemble/ab-test";
import type { ReportTable, ReportText } from "@/lib/reports/document";
import { renderReport } from "@/lib/reports/render";
import { pdfText } from "@/lib/reports/render/pdf-text";
import { reportDocumentSchema } from "@/lib/reports/schema";
import type { AbAnalysis } from "@/lib/simulation/types";
import { extractPdfPages, squash } from "./extract-pdf";
import { GENERATED_AT } from "./fixtures";

const analysis: AbAnalysis = {
  alpha: 0.05,
  controlArmId: "a",
  arms: [
    { armId: "a", label: "Popularity", users: 5000, expectedShare: 0.5 },
    { armId: "b", label: "EASE", users: 5100, expectedShare: 0.5 },
  ],
  metrics: [
    {
      metricId: "ctr", label: "CTR", higherIsBetter: true, guardrail: false,
      arms: [{ armId: "a", value: 0.1, ci: [0.095, 0.105] }, { armId: "b", value: 0.1041, ci: [0.099, 0.109] }],
      comparisons: [{ armId: "b", lift: 0.041, liftCi: [0.012, 0.07], pValue: 0.003, pAdjusted: 0.006, significant: true, test: "two-proportion z" }],
    },
    {
      metricId: "return_rate", label: "Return rate", higherIsBetter: true, guardrail: true,
      arms: [{ armId: "a", value: 0.3, ci: [0.29, 0.31] }, { armId: "b", value: 0.299, ci: [0.289, 0.309] }],
      comparisons: [{ armId: "b", lift: -0.0033, liftCi: [-0.04, 0.03], pValue: 0.8, pAdjusted: 0.8, significant: false, test: "two-proportion z" }],
    },
  ],
  // (5000 − 5050)² / 5050 × 2 = 0.990…, df 1, p ≈ 0.32
  srm: { observed: [5000, 5100], expected: [5050, 5050], chiSquare: 0.9901, df: 1, pValue: 0.3197, mismatch: false },
  verdict: ["EASE raises CTR by 4.1% (95% CI 1.2% to 7.0%, p = 0.006)", "EASE leaves Return rate unchanged (−0.3%, p = 0.80)"],
};

describe("A/B test report", () => {
  const doc = assembleAbTestReport({ name: "EASE vs popularity", analysis, datasetName: "ML-100K", seed: 3, generatedAt: GENERATED_AT });
  const table = (id: string) => doc.sections.flatMap((s) => s.blocks).find((b): b is ReportTable => b.type === "table" && b.id === id)!;

  it("lists every arm's value and each treatment's lift with CI and p, guardrails apart, and the SRM check", () => {
    expect(table("metrics").rows).toEqual([
      ["CTR", "Popularity", 0.1, 0.095, 0.105, null, null, null, null, null, "higher is better"],
      ["CTR", "EASE", 0.1041, 0.099, 0.109, 0.041, 0.012, 0.07, 0.003, 0.006, "higher is better"],
    ]);
    expect(table("guardrails").rows.map((r) => [r[0], r[1], r[5]])).toEqual([["Return rate", "Popularity", null], ["Return rate", "EASE", -0.0033]]);
    const verdict = doc.sections[0].blocks as ReportText[];
    expect(verdict.map((b) => b.text)).toEqual([...analysis.verdict, "No sample ratio mismatch: 5000 / 5100 users against 5050 / 5050 expected (χ² = 0.99, df = 1, p = 0.32)."]);
    expect(table("arms").rows[0]).toEqual(["Popularity (control)", 5000, 0.5]);
    expect(reportDocumentSchema.safeParse(doc).success).toBe(true);
  });

  it("flags a sample ratio mismatch as a finding", () => {
    const broken = assembleAbTestReport({ name: "x", analysis: { ...analysis, srm: { ...analysis.srm, observed: [4000, 6100], chiSquare: 436.7, pValue: 1e-12, mismatch: true } }, datasetName: "d", seed: null, generatedAt: GENERATED_AT });
    const srm = (broken.sections[0].blocks as ReportText[]).at(-1)!;
    expect(srm).toEqual({ type: "text", tone: "finding", text: "Sample ratio mismatch: the arms received 4000 / 6100 users against 5050 / 5050 expected (χ² = 436.70, df = 1, p = 1.0e-12): the assignment is broken, do not trust these results." });
  });

  it("renders the verdicts and the lift chart in PDF and HTML", async () => {
    const pdf = squash((await extractPdfPages((await renderReport(doc, "pdf")).body)).join(" "));
    for (const v of analysis.verdict) expect(pdf).toContain(squash(pdfText(v)));
    expect(pdf).toContain(squash("(chi² = 0.99, df = 1, p = 0.32)"));
    const html = new TextDecoder().decode((await renderReport(doc, "html")).body);
    expect(html).toContain('data-chart="lifts"');
  });
});
