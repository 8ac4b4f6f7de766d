import "server-only";
import type { Principal } from "../auth/principal";
import type { RenderedReport, ReportFormat } from "../reports/document";
import { renderReport } from "../reports/render";
import type { ExportableTarget } from "../reports/report-target";
import { buildReport } from "./build-report";
import { resolveReportTarget } from "./resolve-report-target";

/**
 * One report as a file for a signed-in reader: the ids are checked against the reader's team
 * first (NOT_FOUND for other teams), then the document is built and rendered.
 */
export async function exportReport(target: ExportableTarget, format: ReportFormat, principal: Principal): Promise<RenderedReport & { label: string }> {
  const { label } = await resolveReportTarget(target, principal);
  const doc = await buildReport(target, principal);
  return { ...(await renderReport(doc, format)), label };
}

/**
 * A file name that is safe in a Content-Disposition header and on every file system: ASCII
 * letters, digits, dot, dash and underscore, at most 100 characters, never hidden or empty.
 */
export function safeFileName(name: string, fallback = "reclab-report"): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1] ?? "";
  const stem = (ext ? name.slice(0, -ext.length - 1) : name)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/[-.]{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 90);
  return `${stem || fallback}${ext ? `.${ext}` : ""}`;
}

/** A rendered report as a download. */
export function fileResponse(file: RenderedReport): Response {
  return new Response(Buffer.from(file.body), {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${safeFileName(file.fileName)}"`,
      "content-length": String(file.body.byteLength),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
