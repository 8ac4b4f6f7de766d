import { z } from "zod";
import { toJsonSchema, type JsonSchema } from "../openapi/zod-json-schema";
import { REPORT_SCHEMA_VERSION, type ReportDocument } from "./document";

const direction = z.enum(["higher", "lower", "neutral"]);
const cell = z.union([z.string(), z.number(), z.null()]);

const tableSchema = z
  .object({
    type: z.literal("table"),
    id: z.string().describe("Stable identifier; the CSV file name inside a zip"),
    caption: z.string(),
    columns: z.array(
      z
        .object({
          key: z.string(),
          label: z.string().describe('Metric names as the UI labels them, e.g. "NDCG@10"'),
          numeric: z.boolean().optional(),
          digits: z.number().int().min(0).max(12).optional().describe("Digits after the point shown for numeric cells"),
          direction: direction.optional().describe("Which way is better"),
        })
        .strict(),
    ),
    rows: z.array(z.array(cell)).describe("One array per row, aligned with columns; numbers at full precision, null when missing"),
  })
  .strict();

const textSchema = z
  .object({
    type: z.literal("text"),
    text: z.string(),
    tone: z.enum(["plain", "note", "finding"]).optional().describe("finding: a sentence a reader should not miss (significance, verdicts)"),
  })
  .strict();

const chartSchema = z
  .object({
    type: z.literal("chart"),
    id: z.string(),
    caption: z.string(),
    kind: z.enum(["bar", "line", "interval"]),
    xKey: z.string(),
    xLabel: z.string().optional(),
    yLabel: z.string().optional(),
    series: z.array(z.object({ key: z.string(), label: z.string() }).strict()),
    points: z.array(z.record(z.union([z.string(), z.number(), z.null()]))),
    lowKey: z.string().optional(),
    highKey: z.string().optional(),
  })
  .strict();

/** The report document (lib/reports/document.ts) as zod: the JSON export validates against it. */
export const reportDocumentSchema = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    kind: z.enum(["run", "experiment", "comparison", "dataset", "bias", "ab-test"]),
    title: z.string(),
    provenance: z.array(z.object({ label: z.string(), value: z.string() }).strict()).describe("Dataset, split, seed, RecLab version, backend, generated at"),
    sections: z.array(
      z.object({ heading: z.string(), blocks: z.array(z.discriminatedUnion("type", [tableSchema, textSchema, chartSchema])) }).strict(),
    ),
  })
  .strict()
  .describe("A RecLab report: the JSON export of GET /api/reports/…?format=json");

// Compile-time check that the schema and the TypeScript type describe the same document.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.output<typeof reportDocumentSchema>, ReportDocument> = true;
void sameShape;

/** The versioned JSON Schema of report documents, published at /api/reports/schema.json. */
export function reportJsonSchema(): JsonSchema {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `/api/reports/schema.json#v${REPORT_SCHEMA_VERSION}`,
    title: `RecLab report document, schema version ${REPORT_SCHEMA_VERSION}`,
    ...toJsonSchema(reportDocumentSchema),
  };
}
