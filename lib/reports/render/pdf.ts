import PDFDocument from "pdfkit";
import type { RenderedReport, ReportChart, ReportDocument, ReportTable, ReportText } from "../document";
import { layoutChart, type Mark } from "./chart-layout";
import { reportFileName } from "./file-name";
import { formatCell } from "./format-cell";
import { pdfText } from "./pdf-text";

/*
 * PDF with pdfkit: pure JavaScript (no headless browser or native module at run time), the 14
 * standard PDF fonts built in (no font files to ship; text stays selectable and searchable),
 * and a vector drawing API, so charts are paths rather than images. @react-pdf/renderer would
 * add a React reconciler and its own layout engine for what is here a simple flow of blocks.
 */

const MARGIN = 50;
const FONT = "Helvetica";
const BOLD = "Helvetica-Bold";
const INK = "#1b1f24";
const MUTED = "#5b6470";
const RULE = "#e2e5ea";
const HEAD_FILL = "#f6f7f9";
const CHART_HEIGHT = 220;
const CELL_PAD = 3;

type Doc = PDFKit.PDFDocument;

const contentWidth = (doc: Doc) => doc.page.width - 2 * MARGIN;
const bottom = (doc: Doc) => doc.page.height - MARGIN;

/** Starts a new page unless `height` still fits below the cursor. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function writeText(doc: Doc, block: ReportText): void {
  const tone = block.tone ?? "plain";
  doc.font(tone === "finding" ? BOLD : FONT).fontSize(10).fillColor(tone === "note" ? MUTED : INK);
  const body = pdfText(block.text);
  ensureSpace(doc, Math.min(doc.heightOfString(body, { width: contentWidth(doc) }), 40));
  doc.text(body, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.4);
}

interface ColumnFit {
  /** Widest of the header and every cell, on one line. */
  natural: number;
  /** Narrowest without breaking a number or a header word. */
  min: number;
}

function columnFits(doc: Doc, table: ReportTable, headers: string[], cells: string[][]): ColumnFit[] {
  return headers.map((header, c) => {
    doc.font(BOLD);
    const headerWidth = doc.widthOfString(header);
    const headerWord = Math.max(...header.split(/\s+/).map((w) => doc.widthOfString(w)));
    doc.font(FONT);
    const cellWidth = Math.max(0, ...cells.map((row) => doc.widthOfString(row[c])));
    const natural = Math.min(Math.max(headerWidth, cellWidth), 220) + 2 * CELL_PAD;
    const min = (table.columns[c].numeric ? Math.max(cellWidth, headerWord) : Math.min(Math.max(headerWord, 40), natural - 2 * CELL_PAD)) + 2 * CELL_PAD;
    return { natural, min: Math.min(min, natural) };
  });
}

/**
 * Columns per printed part: all of them when their narrowest widths fit the page, else as many
 * as fit, each part repeating the first column (the row's name) so every part reads alone.
 */
function columnGroups(fits: ColumnFit[], total: number): number[][] {
  const groups: number[][] = [];
  let group = [0], used = fits[0].min;
  for (let c = 1; c < fits.length; c++) {
    if (used + fits[c].min > total && group.length > 1) {
      groups.push(group);
      [group, used] = [[0], fits[0].min];
    }
    group.push(c);
    used += fits[c].min;
  }
  groups.push(group);
  return groups;
}

/** Widths of one part's columns: natural widths stretched to the page, or minimums plus a share of the rest. */
function columnWidths(fits: ColumnFit[], total: number): number[] {
  const natural = fits.reduce((a, f) => a + f.natural, 0);
  if (natural <= total) return fits.map((f) => (f.natural * total) / natural);
  const min = fits.reduce((a, f) => a + f.min, 0);
  const slack = Math.max(0, total - min);
  return fits.map((f) => f.min + (natural - min > 0 ? ((f.natural - f.min) / (natural - min)) * slack : 0));
}

/**
 * A table that breaks across pages: every page it continues on starts with the header row
 * again; cells wrap within their column. A table too wide for the page is printed in parts of
 * columns, each repeating the first column.
 */
function writeTable(doc: Doc, table: ReportTable): void {
  const fontSize = table.columns.length > 7 ? 7 : table.columns.length > 5 ? 8 : 9;
  const width = contentWidth(doc);
  const headers = table.columns.map((c) => pdfText(c.direction === "higher" ? `${c.label} (^)` : c.direction === "lower" ? `${c.label} (v)` : c.label));
  const cells = table.rows.map((row) => table.columns.map((c, i) => pdfText(formatCell(row[i] ?? null, c))));
  doc.fontSize(fontSize);
  const fits = columnFits(doc, table, headers, cells);
  const groups = columnGroups(fits, width);
  groups.forEach((columns, part) => {
    const widths = columnWidths(columns.map((c) => fits[c]), width);
    const pick = (texts: string[]) => columns.map((c) => texts[c]);
    // Most cells fit on one line: measured by width alone and drawn without the line wrapper,
    // which keeps a 500-row leaderboard fast; only longer cells are wrapped.
    const lineHeight = (font: string) => doc.font(font).fontSize(fontSize).heightOfString("Xg");
    const fitsLine = (t: string, i: number) => doc.widthOfString(t) <= widths[i] - 2 * CELL_PAD;
    const rowHeight = (texts: string[], font: string) => {
      const line = lineHeight(font);
      return Math.max(...pick(texts).map((t, i) => (fitsLine(t, i) ? line : doc.heightOfString(t, { width: widths[i] - 2 * CELL_PAD })))) + 2 * CELL_PAD;
    };
    const drawRow = (texts: string[], font: string, fill: string | null, h: number) => {
      const y = doc.y;
      if (fill) doc.rect(MARGIN, y, width, h).fill(fill);
      let x = MARGIN;
      doc.font(font).fontSize(fontSize).fillColor(INK);
      pick(texts).forEach((t, i) => {
        const inner = widths[i] - 2 * CELL_PAD;
        const right = table.columns[columns[i]].numeric;
        if (fitsLine(t, i)) doc.text(t, x + CELL_PAD + (right ? inner - doc.widthOfString(t) : 0), y + CELL_PAD, { lineBreak: false });
        else doc.text(t, x + CELL_PAD, y + CELL_PAD, { width: inner, align: right ? "right" : "left" });
        x += widths[i];
      });
      doc.moveTo(MARGIN, y + h).lineTo(MARGIN + width, y + h).lineWidth(0.5).strokeColor(RULE).stroke();
      doc.x = MARGIN;
      doc.y = y + h;
    };
    const caption = groups.length > 1 ? `${table.caption} (part ${part + 1} of ${groups.length})` : table.caption;
    doc.font(BOLD).fontSize(10).fillColor(INK);
    const headerHeight = rowHeight(headers, BOLD);
    const heights = cells.map((row) => rowHeight(row, FONT));
    doc.font(BOLD).fontSize(10).fillColor(INK);
    ensureSpace(doc, 14 + headerHeight + (heights[0] ?? 0));
    doc.text(pdfText(caption), MARGIN, doc.y, { width });
    doc.moveDown(0.2);
    drawRow(headers, BOLD, HEAD_FILL, headerHeight);
    cells.forEach((row, r) => {
      if (doc.y + heights[r] > bottom(doc)) {
        doc.addPage();
        drawRow(headers, BOLD, HEAD_FILL, headerHeight);
      }
      drawRow(row, FONT, null, heights[r]);
    });
    if (columns.some((c) => table.columns[c].direction === "higher" || table.columns[c].direction === "lower")) {
      doc.font(FONT).fontSize(8).fillColor(MUTED).text("(^) higher is better, (v) lower is better.", MARGIN, doc.y + 2, { width });
    }
    doc.moveDown(0.6);
  });
}

function drawMark(doc: Doc, m: Mark, ox: number, oy: number): void {
  switch (m.type) {
    case "line":
      doc.save().moveTo(ox + m.x1, oy + m.y1).lineTo(ox + m.x2, oy + m.y2).lineWidth(m.width).strokeColor(m.stroke);
      if (m.dash) doc.dash(3, { space: 3 });
      doc.stroke().undash().restore();
      return;
    case "rect":
      doc.rect(ox + m.x, oy + m.y, m.width, m.height).fill(m.fill);
      return;
    case "polyline": {
      const [first, ...rest] = m.points;
      doc.save().moveTo(ox + first[0], oy + first[1]);
      for (const [x, y] of rest) doc.lineTo(ox + x, oy + y);
      doc.lineWidth(m.width).lineJoin("round").strokeColor(m.stroke).stroke().restore();
      return;
    }
    case "circle":
      doc.circle(ox + m.x, oy + m.y, m.r).fill(m.fill);
      return;
    case "text": {
      const body = pdfText(m.text);
      doc.font(FONT).fontSize(m.size).fillColor(m.fill);
      const w = doc.widthOfString(body);
      const dx = m.anchor === "end" ? -w : m.anchor === "middle" ? -w / 2 : 0;
      doc.save();
      if (m.angle) doc.rotate(m.angle, { origin: [ox + m.x, oy + m.y] });
      doc.text(body, ox + m.x + dx, oy + m.y, { lineBreak: false, baseline: "alphabetic" });
      doc.restore();
      return;
    }
  }
}

/** A chart as vector paths, from the same layout the HTML export draws as SVG. */
function writeChart(doc: Doc, chart: ReportChart): void {
  const width = contentWidth(doc);
  ensureSpace(doc, CHART_HEIGHT + 20);
  doc.font(BOLD).fontSize(10).fillColor(INK).text(pdfText(chart.caption), MARGIN, doc.y, { width });
  const top = doc.y + 4;
  for (const mark of layoutChart(chart, width, CHART_HEIGHT).marks) drawMark(doc, mark, MARGIN, top);
  doc.x = MARGIN;
  doc.y = top + CHART_HEIGHT + 8;
}

function writeProvenance(doc: Doc, provenance: ReportDocument["provenance"]): void {
  const width = contentWidth(doc);
  const labelWidth = 110;
  doc.fontSize(9);
  const heights = provenance.map((p) => doc.font(FONT).heightOfString(pdfText(p.value), { width: width - labelWidth - 16 }));
  const boxHeight = heights.reduce((a, b) => a + b + 2, 0) + 12;
  const top = doc.y;
  doc.rect(MARGIN, top, width, boxHeight).fillAndStroke(HEAD_FILL, RULE);
  let y = top + 6;
  provenance.forEach((p, i) => {
    doc.font(BOLD).fontSize(9).fillColor(MUTED).text(pdfText(p.label), MARGIN + 8, y, { width: labelWidth });
    doc.font(FONT).fontSize(9).fillColor(INK).text(pdfText(p.value), MARGIN + 8 + labelWidth, y, { width: width - labelWidth - 16 });
    y += heights[i] + 2;
  });
  doc.x = MARGIN;
  doc.y = top + boxHeight + 10;
}

/** "page i of n" centred in every page's bottom margin, once the page count is known. */
function numberPages(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the margin must not open a new page
    doc.font(FONT).fontSize(8).fillColor(MUTED).text(`page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 4, { width: contentWidth(doc), align: "center", lineBreak: false });
    doc.page.margins.bottom = margin;
  }
}

/** The report as a PDF: provenance on page 1, selectable text, vector charts, paginated tables, page numbers. */
export async function renderPdf(report: ReportDocument): Promise<RenderedReport> {
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, bufferPages: true, info: { Title: pdfText(report.title), Creator: "RecLab", Producer: "RecLab (pdfkit)" } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  doc.font(BOLD).fontSize(18).fillColor(INK).text(pdfText(report.title), { width: contentWidth(doc) });
  doc.moveDown(0.5);
  writeProvenance(doc, report.provenance);
  for (const section of report.sections) {
    // Keep a heading with the start of its first block.
    ensureSpace(doc, section.blocks[0]?.type === "chart" ? CHART_HEIGHT + 60 : 60);
    doc.moveDown(0.4).font(BOLD).fontSize(13).fillColor(INK).text(pdfText(section.heading), MARGIN, doc.y, { width: contentWidth(doc) });
    doc.moveDown(0.3);
    for (const block of section.blocks) {
      if (block.type === "text") writeText(doc, block);
      else if (block.type === "table") writeTable(doc, block);
      else writeChart(doc, block);
    }
  }
  numberPages(doc);
  doc.end();
  await done;
  const body = Buffer.concat(chunks);
  return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), contentType: "application/pdf", fileName: reportFileName(report, "pdf") };
}
