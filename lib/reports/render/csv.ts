import { strToU8, zipSync } from "fflate";
import { toCsv } from "../csv";
import type { RenderedReport, ReportDocument, ReportTable } from "../document";
import { reportFileName } from "./file-name";

/** Every table of the report, in reading order. */
export function reportTables(doc: ReportDocument): ReportTable[] {
  return doc.sections.flatMap((s) => s.blocks.filter((b): b is ReportTable => b.type === "table"));
}

/** A table as CSV: its column labels, then raw values (full precision), formula-injection-safe. */
export function tableCsv(table: ReportTable): string {
  return toCsv(table.rows, table.columns.map((c, i) => ({ header: c.label, value: (row: ReportTable["rows"][number]) => row[i] })));
}

/**
 * CSV of every table: one file when the report has one table, else a zip with one
 * `<table id>.csv` per table. A report without tables exports its provenance.
 */
export function renderCsv(doc: ReportDocument): RenderedReport {
  const tables = reportTables(doc);
  if (tables.length <= 1) {
    const csv = tables.length === 1 ? tableCsv(tables[0]) : toCsv(doc.provenance, [{ header: "label", value: (p) => p.label }, { header: "value", value: (p) => p.value }]);
    return { body: strToU8(csv), contentType: "text/csv; charset=utf-8", fileName: reportFileName(doc, "csv") };
  }
  const files: Record<string, Uint8Array> = {};
  for (const table of tables) {
    let name = `${table.id}.csv`;
    for (let i = 2; name in files; i++) name = `${table.id}-${i}.csv`;
    files[name] = strToU8(tableCsv(table));
  }
  // A fixed timestamp keeps the zip byte-identical for the same document.
  return { body: zipSync(files, { mtime: new Date("2000-01-01T00:00:00Z") }), contentType: "application/zip", fileName: reportFileName(doc, "zip") };
}
