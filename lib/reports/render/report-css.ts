/**
 * Styles of a rendered report, all scoped under `.report` so the shared-report page can embed
 * them beside the app's own CSS; the HTML export inlines them (no stylesheet to fetch). No web
 * fonts: system fonts only, so nothing is requested from the network.
 */
export const REPORT_CSS = `
.report { max-width: 960px; margin: 0 auto; padding: 24px 20px; color: #1b1f24; background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 14px; line-height: 1.5; }
.report h1 { font-size: 22px; margin: 0 0 12px; overflow-wrap: anywhere; }
.report h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #e2e5ea; }
.report p { margin: 0 0 8px; overflow-wrap: anywhere; }
.report .report-note { color: #5b6470; }
.report .report-finding { font-weight: 600; border-left: 3px solid #3b5bdb; padding-left: 8px; }
.report .report-provenance { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 8px;
  padding: 10px 12px; background: #f6f7f9; border: 1px solid #e2e5ea; border-radius: 8px; }
.report .report-provenance dt { color: #5b6470; }
.report .report-provenance dd { margin: 0; overflow-wrap: anywhere; }
.report figure { margin: 12px 0 16px; }
.report figcaption, .report caption { text-align: left; font-weight: 600; font-size: 13px; margin-bottom: 4px; }
.report .report-table-wrap { overflow-x: auto; }
.report table { border-collapse: collapse; width: 100%; font-size: 13px; }
.report th, .report td { border-bottom: 1px solid #e2e5ea; padding: 4px 8px; text-align: left; vertical-align: top; }
.report th { background: #f6f7f9; font-weight: 600; }
.report td.num, .report th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.report svg { max-width: 100%; height: auto; display: block; }
.report .report-footer { margin-top: 32px; color: #5b6470; font-size: 12px; }
@media print {
  .report { max-width: none; padding: 0; font-size: 11pt; }
  .report h2 { break-after: avoid; }
  .report figure, .report tr { break-inside: avoid; }
  .report thead { display: table-header-group; }
  .report .report-table-wrap { overflow: visible; }
}
`;
