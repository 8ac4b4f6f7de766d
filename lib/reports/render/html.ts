import type { RenderedReport, ReportBlock, ReportDocument, ReportTable } from "../document";
import { escapeHtml } from "./escape";
import { columnHeading, formatCell } from "./format-cell";
import { REPORT_CSS } from "./report-css";
import { chartSvg } from "./svg";
import { reportFileName } from "./file-name";

function tableHtml(table: ReportTable): string {
  const head = table.columns.map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ""}>${escapeHtml(columnHeading(c))}</th>`).join("");
  const body = table.rows
    .map((row) => `<tr>${table.columns.map((c, i) => `<td${c.numeric ? ' class="num"' : ""}>${escapeHtml(formatCell(row[i] ?? null, c))}</td>`).join("")}</tr>`)
    .join("");
  return `<figure class="report-table-wrap" data-table="${escapeHtml(table.id)}"><table><caption>${escapeHtml(table.caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></figure>`;
}

function blockHtml(block: ReportBlock): string {
  switch (block.type) {
    case "table":
      return tableHtml(block);
    case "text":
      return `<p class="report-${block.tone ?? "plain"}">${escapeHtml(block.text)}</p>`;
    case "chart":
      return `<figure class="report-chart" data-chart="${escapeHtml(block.id)}"><figcaption>${escapeHtml(block.caption)}</figcaption>${chartSvg(block)}</figure>`;
  }
}

/**
 * The report's markup (no <html>, no styles): title, provenance, sections. Every piece of text
 * goes through escapeHtml, so a run named `<script>…` is shown, never parsed. Built as a string
 * because it must render inside route handlers, where react-dom/server is unavailable; the
 * shared-report page shows the same string through ReportView.
 */
export function reportBodyHtml(doc: ReportDocument): string {
  const provenance = doc.provenance.map((p) => `<dt>${escapeHtml(p.label)}</dt><dd>${escapeHtml(p.value)}</dd>`).join("");
  const sections = doc.sections.map((s) => `<section><h2>${escapeHtml(s.heading)}</h2>${s.blocks.map(blockHtml).join("")}</section>`).join("");
  return (
    `<header><h1>${escapeHtml(doc.title)}</h1><dl class="report-provenance" data-testid="report-provenance">${provenance}</dl></header>` +
    sections +
    `<footer class="report-footer">RecLab report, schema version ${doc.schemaVersion}.</footer>`
  );
}

/**
 * One self-contained HTML file: inline CSS, charts as inline SVG, no script, no URL of any
 * kind. Its CSP forbids scripts and every fetch, so even a viewer that ignored the escaping
 * could not run or load anything; @media print rules make it printable.
 */
export function renderHtml(doc: ReportDocument): RenderedReport {
  const html =
    "<!doctype html>\n" +
    `<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(doc.title)}</title><style>body { margin: 0; background: #fff; }${REPORT_CSS}</style></head>` +
    `<body><main class="report">${reportBodyHtml(doc)}</main></body></html>\n`;
  return { body: new TextEncoder().encode(html), contentType: "text/html; charset=utf-8", fileName: reportFileName(doc, "html") };
}
