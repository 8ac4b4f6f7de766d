import { z } from "zod";
import { MAX_COMPARED_RUNS, REPORT_FORMATS, type ReportFormat, type ReportTarget } from "./document";

export { REPORT_FORMATS };

/**
 * Which report, in the shapes users send it: the export query (`kind=run&id=…`, comparisons
 * `ids=a,b,c`) and the share-link body. Both become a ReportTarget (lib/reports/document.ts).
 * Safe for client code: the Export menu builds its links with `exportHref`.
 */

export const reportFormatSchema = z.enum(REPORT_FORMATS, { message: "format must be html, pdf, csv or json" });

/** Report kinds that can be exported and shared by id. */
export const EXPORTABLE_KINDS = ["run", "experiment", "comparison", "dataset", "bias", "ab-test"] as const;
export type ExportableKind = (typeof EXPORTABLE_KINDS)[number];
export type ExportableTarget = Extract<ReportTarget, { kind: ExportableKind }>;

const idField = z.string().trim().min(1, "id is required").max(100, "an id is at most 100 characters");

const idsField = z
  .string({ message: "ids is required for a comparison (ids=a,b,c)" })
  .transform((v) => [...new Set(v.split(",").map((s) => s.trim()).filter(Boolean))])
  .pipe(
    z
      .array(idField)
      .min(2, "a comparison needs at least two distinct run ids (ids=a,b)")
      .max(MAX_COMPARED_RUNS, `a comparison report covers at most ${MAX_COMPARED_RUNS} runs`),
  );

const kindSchema = z.enum(EXPORTABLE_KINDS, { message: `kind must be one of ${EXPORTABLE_KINDS.join(", ")}` });

/** One report, as a JSON body: { kind, id } or { kind: "comparison", ids: [...] }. */
export const reportTargetInputSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("run"), id: idField.describe("Run id") }).strict(),
    z.object({ kind: z.literal("experiment"), id: idField.describe("Experiment id") }).strict(),
    z.object({ kind: z.literal("dataset"), id: idField.describe("Dataset id (its data sheet)") }).strict(),
    z.object({ kind: z.literal("bias"), id: idField.describe("Run id (its bias and diversity report)") }).strict(),
    z.object({ kind: z.literal("ab-test"), id: idField.describe("A/B test id (its review)") }).strict(),
    z
      .object({
        kind: z.literal("comparison"),
        ids: z
          .array(idField)
          .min(2, "a comparison needs at least two run ids")
          .max(MAX_COMPARED_RUNS, `a comparison report covers at most ${MAX_COMPARED_RUNS} runs`)
          .refine((ids) => new Set(ids).size === ids.length, "run ids must be distinct")
          .describe("Run ids, in the order the report shows them"),
      })
      .strict(),
  ],
  { errorMap: () => ({ message: `kind must be one of ${EXPORTABLE_KINDS.join(", ")}` }) },
);
export type ReportTargetInput = z.infer<typeof reportTargetInputSchema>;

/** GET /api/reports/export query. */
export const exportQuerySchema = z
  .object({
    kind: kindSchema.describe("Which report: run, experiment, comparison, dataset (data sheet), bias (a run's bias and diversity report) or ab-test (an A/B test's review)"),
    id: idField.optional().describe("The run, experiment, dataset or A/B test id (every kind but comparison)"),
    ids: idsField.optional().describe(`Comparison only: 2 to ${MAX_COMPARED_RUNS} run ids, comma-separated`),
    format: reportFormatSchema.describe("html (self-contained), pdf, csv (a zip when the report has several tables) or json"),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.kind === "comparison") {
      if (!q.ids) ctx.addIssue({ code: "custom", path: ["ids"], message: "a comparison needs ids=a,b (2 to 12 run ids)" });
      if (q.id) ctx.addIssue({ code: "custom", path: ["id"], message: "a comparison takes ids=a,b,c, not id" });
    } else {
      if (!q.id) ctx.addIssue({ code: "custom", path: ["id"], message: `a ${q.kind} report needs id=…` });
      if (q.ids) ctx.addIssue({ code: "custom", path: ["ids"], message: "ids is for comparisons only" });
    }
  });

export function toReportTarget(input: ReportTargetInput): ExportableTarget {
  switch (input.kind) {
    case "run":
      return { kind: "run", runId: input.id };
    case "experiment":
      return { kind: "experiment", experimentId: input.id };
    case "dataset":
      return { kind: "dataset", datasetId: input.id };
    case "bias":
      return { kind: "bias", runId: input.id };
    case "ab-test":
      return { kind: "ab-test", abTestId: input.id };
    case "comparison":
      return { kind: "comparison", runIds: input.ids };
  }
}

/** The parsed export query as a target and a format. */
export function parseExportQuery(params: Record<string, string>): { target: ExportableTarget; format: ReportFormat } {
  const q = exportQuerySchema.parse(params);
  return { target: targetFromParts(q.kind, q.ids ?? [q.id!]), format: q.format };
}

/** The ids a target names, in order (one, or a comparison's runs). */
export function targetIds(target: ExportableTarget): string[] {
  switch (target.kind) {
    case "run":
    case "bias":
      return [target.runId];
    case "experiment":
      return [target.experimentId];
    case "dataset":
      return [target.datasetId];
    case "ab-test":
      return [target.abTestId];
    case "comparison":
      return target.runIds;
  }
}

/** The body form of a target's parts ({ kind, id } or { kind: "comparison", ids }). */
function inputFromParts(kind: ExportableKind, ids: string[]): ReportTargetInput {
  return kind === "comparison" ? { kind, ids } : { kind, id: ids[0] };
}

/** A target from its stored parts (ShareLink.kind + ids). */
export function targetFromParts(kind: ExportableKind, ids: string[]): ExportableTarget {
  return toReportTarget(inputFromParts(kind, ids));
}

/** A target as the share-link body names it. */
export function toTargetInput(target: ExportableTarget): ReportTargetInput {
  return inputFromParts(target.kind, targetIds(target));
}

/** GET /api/reports/export URL of a report in a format. */
export function exportHref(target: ExportableTarget, format: ReportFormat): string {
  const ids = targetIds(target);
  const which = target.kind === "comparison" ? `ids=${ids.map(encodeURIComponent).join(",")}` : `id=${encodeURIComponent(ids[0])}`;
  return `/api/reports/export?kind=${target.kind}&${which}&format=${format}`;
}
