import type { RenderedReport, ReportDocument, ReportFormat } from "./document";
import { renderCsv } from "./render/csv";
import { renderHtml } from "./render/html";
import { renderJson } from "./render/json";
import { renderPdf } from "./render/pdf";

/** One document to one file: self-contained HTML, PDF, CSV (zip when several tables) or JSON. */
export async function renderReport(doc: ReportDocument, format: ReportFormat): Promise<RenderedReport> {
  switch (format) {
    case "html":
      return renderHtml(doc);
    case "pdf":
      return renderPdf(doc);
    case "csv":
      return renderCsv(doc);
    case "json":
      return renderJson(doc);
  }
}
