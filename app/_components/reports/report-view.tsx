import type { ReportDocument } from "@/lib/reports/document";
import { reportBodyHtml } from "@/lib/reports/render/html";
import { REPORT_CSS } from "@/lib/reports/render/report-css";

/**
 * A report document as static markup (server component, no client script needed): the shared
 * report page and the HTML export both render it, so they show the same thing.
 *
 * The markup is the HTML export's own (reportBodyHtml), where every text is escaped: route
 * handlers cannot use react-dom/server, so the export is built as a string, and this view
 * inserts that same string rather than keeping a second JSX copy in step. Pass the request's
 * CSP nonce so the report styles (scoped under `.report`) are allowed by the app's policy.
 */
export function ReportView({ doc, nonce }: { doc: ReportDocument; nonce?: string }) {
  return (
    <>
      <style nonce={nonce} dangerouslySetInnerHTML={{ __html: REPORT_CSS }} />
      <article className="report" data-testid="report-view" dangerouslySetInnerHTML={{ __html: reportBodyHtml(doc) }} />
    </>
  );
}
