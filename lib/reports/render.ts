// CONTRACT STUB — replaced by the renderers. Keep the exported names and shapes.
import type { RenderedReport, ReportDocument, ReportFormat } from "./document";

/** One document to one file: self-contained HTML, PDF, CSV (zip when several tables) or JSON. */
export async function renderReport(_doc: ReportDocument, _format: ReportFormat): Promise<RenderedReport> {
  throw new Error("not implemented");
}
