// CONTRACT STUB — replaced by the report view. Keep the exported names and shapes.
import type { ReportDocument } from "@/lib/reports/document";

/**
 * A report document as static markup (server component, no client script needed): the shared
 * report page and the HTML export both render it, so they show the same thing.
 */
export function ReportView({ doc }: { doc: ReportDocument }) {
  return <article>{doc.title}</article>;
}
