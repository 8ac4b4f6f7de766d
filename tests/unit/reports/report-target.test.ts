import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { exportHref, parseExportQuery, reportTargetInputSchema, toReportTarget } from "@/lib/reports/report-target";
import { safeFileName } from "@/lib/server/export-report";

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ZodError) return error.issues.map((i) => i.message).join("; ");
    throw error;
  }
  throw new Error("expected a ZodError");
};

describe("GET /api/reports/export query", () => {
  it("turns each kind into its report target", () => {
    expect(parseExportQuery({ kind: "run", id: "r1", format: "pdf" })).toEqual({ target: { kind: "run", runId: "r1" }, format: "pdf" });
    expect(parseExportQuery({ kind: "experiment", id: "e1", format: "html" }).target).toEqual({ kind: "experiment", experimentId: "e1" });
    expect(parseExportQuery({ kind: "dataset", id: "d1", format: "csv" }).target).toEqual({ kind: "dataset", datasetId: "d1" });
    expect(parseExportQuery({ kind: "bias", id: "r2", format: "json" }).target).toEqual({ kind: "bias", runId: "r2" });
    // Order kept, blanks and repeats dropped.
    expect(parseExportQuery({ kind: "comparison", ids: "b, a,,b,c", format: "json" }).target).toEqual({ kind: "comparison", runIds: ["b", "a", "c"] });
  });

  it("refuses bad input with a message that names the problem", () => {
    expect(message(() => parseExportQuery({ kind: "model", id: "x", format: "pdf" }))).toMatch(/kind must be one of run, experiment, comparison, dataset, bias/);
    expect(message(() => parseExportQuery({ kind: "run", id: "x", format: "docx" }))).toBe("format must be html, pdf, csv or json");
    expect(message(() => parseExportQuery({ kind: "run", format: "pdf" }))).toBe("a run report needs id=…");
    expect(message(() => parseExportQuery({ kind: "run", id: "x", ids: "a,b", format: "pdf" }))).toBe("ids is for comparisons only");
    expect(message(() => parseExportQuery({ kind: "comparison", ids: "a", format: "pdf" }))).toMatch(/at least two distinct run ids/);
    expect(message(() => parseExportQuery({ kind: "comparison", ids: "a,a", format: "pdf" }))).toMatch(/at least two distinct run ids/);
    const thirteen = Array.from({ length: 13 }, (_, i) => `r${i}`).join(",");
    expect(message(() => parseExportQuery({ kind: "comparison", ids: thirteen, format: "pdf" }))).toBe("a comparison report covers at most 12 runs");
    expect(message(() => parseExportQuery({ kind: "run", id: "x", format: "pdf", extra: "1" }))).toMatch(/Unrecognized key/);
  });

  it("builds the export link the menu offers, and the link parses back to the same target", () => {
    const target = { kind: "comparison" as const, runIds: ["a b", "c"] };
    const href = exportHref(target, "csv");
    expect(href).toBe("/api/reports/export?kind=comparison&ids=a%20b,c&format=csv");
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parseExportQuery(params)).toEqual({ target, format: "csv" });
    expect(exportHref({ kind: "bias", runId: "r1" }, "pdf")).toBe("/api/reports/export?kind=bias&id=r1&format=pdf");
  });
});

describe("share-link target body", () => {
  it("accepts one report and refuses anything else", () => {
    expect(toReportTarget(reportTargetInputSchema.parse({ kind: "dataset", id: "d1" }))).toEqual({ kind: "dataset", datasetId: "d1" });
    expect(reportTargetInputSchema.safeParse({ kind: "comparison", ids: ["a", "a"] }).success).toBe(false);
    expect(reportTargetInputSchema.safeParse({ kind: "comparison", ids: ["a"] }).success).toBe(false);
    expect(reportTargetInputSchema.safeParse({ kind: "run", id: "r", ids: ["x"] }).success).toBe(false);
    expect(message(() => reportTargetInputSchema.parse({ kind: "audit-log", id: "x" }))).toMatch(/kind must be one of/);
  });
});

describe("safeFileName", () => {
  it("keeps plain names and their extension", () => {
    expect(safeFileName("reclab-run-bpr_1.pdf")).toBe("reclab-run-bpr_1.pdf");
  });
  it("removes quotes, slashes, header breaks and markup", () => {
    expect(safeFileName('a"b\r\nContent-Type: x/../<script>.html')).toBe("a-b-Content-Type-x-script.html");
    expect(safeFileName("../../etc/passwd")).toBe("etc-passwd");
  });
  it("falls back when nothing printable is left, and bounds the length", () => {
    expect(safeFileName("<<>>.csv")).toBe("reclab-report.csv");
    expect(safeFileName("ÄÖÜ.json")).toBe("AOU.json");
    expect(safeFileName(`${"x".repeat(300)}.zip`)).toHaveLength(94);
  });
});
