import type { RenderedReport, ReportDocument } from "../document";
import { reportFileName } from "./file-name";

/** The document itself (versioned by schemaVersion; schema at /api/reports/schema.json). */
export function renderJson(doc: ReportDocument): RenderedReport {
  return { body: new TextEncoder().encode(JSON.stringify(doc, null, 2) + "\n"), contentType: "application/json; charset=utf-8", fileName: reportFileName(doc, "json") };
}
