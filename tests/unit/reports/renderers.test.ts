import { unzipSync, strFromU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { assembleComparisonReport } from "@/lib/reports/assemble/comparison";
import { REPORT_SCHEMA_VERSION, type ReportDocument, type ReportTable } from "@/lib/reports/document";
import { renderReport } from "@/lib/reports/render";
import { reportTables } from "@/lib/reports/render/csv";
import { formatCell } from "@/lib/reports/render/format-cell";
import { pdfText } from "@/lib/reports/render/pdf-text";
import { reportDocumentSchema, reportJsonSchema } from "@/lib/reports/schema";
import { parseCsv } from "./csv-parse";
import { countPdfOperators, extractPdfPages, squash } from "./extract-pdf";
import { comparisonFacts, GENERATED_AT } from "./fixtures";
import { validateJsonSchema } from "./json-schema-check";

const HOSTILE = "<script>alert(1)</script>";
const doc = assembleComparisonReport(comparisonFacts());
const hostileDoc = assembleComparisonReport(comparisonFacts([HOSTILE, "Popularity", "ItemKNN seed 7"]));
const metricsTable = reportTables(doc).find((t) => t.id === "metrics")!;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const significance = doc.sections.find((s) => s.heading.startsWith("Significance"))!.blocks.filter((b) => b.type === "text" && b.tone === "finding").map((b) => (b as { text: string }).text);

/** Every cell of a table as the page shows it. */
const shownCells = (table: ReportTable) => table.rows.flatMap((row) => row.map((cell, i) => formatCell(cell, table.columns[i])));

describe("comparison document", () => {
  it("has the compared cut-off's metrics with their UI labels and the paired sentence of the compare page", () => {
    expect(metricsTable.columns.map((c) => c.label)).toEqual(["Run", "Model", "Evaluated on", "NDCG@10", "Recall@10", "RMSE"]);
    expect(metricsTable.columns.slice(3).map((c) => c.direction)).toEqual(["higher", "higher", "lower"]);
    expect(metricsTable.rows[0].slice(3)).toEqual([0.31234, 0.20871, 0.91]);
    expect(significance).toEqual(["EASE beats Popularity on NDCG@10 by 0.115, p < 0.001 (paired t-test p < 0.001, Wilcoxon p < 0.001; 80 users)."]);
    const view = comparisonFacts().view;
    const sentences = doc.sections[1].blocks.slice(0, 3).map((b) => (b as { text: string }).text);
    expect(sentences).toEqual(view.comparison.pairs.map((p) => `${p.sentence}.`));
    expect(sentences[1]).toMatch(/^EASE was evaluated on a random 8:1:1 split with seed 42, ItemKNN seed 7 on a random 8:1:1 split with seed 7: their test sets differ/);
  });

  it("lists provenance first: dataset, split, seed, version, backend, date", () => {
    expect(doc.provenance).toEqual([
      { label: "Dataset", value: "ML-100K" },
      { label: "Split", value: "random 8:1:1 split with seed 42; random 8:1:1 split with seed 7" },
      { label: "Seed", value: "42" },
      { label: "RecLab version", value: "0.1.0" },
      { label: "Backend", value: "js" },
      { label: "Generated at", value: "2026-11-30 12:00:00 UTC" },
    ]);
    expect(GENERATED_AT.toISOString()).toBe("2026-11-30T12:00:00.000Z");
  });
});

describe("HTML export", () => {
  it("is one self-contained file: the table, inline SVG charts, no script and no URL", async () => {
    const html = decode((await renderReport(doc, "html")).body);
    for (const cell of shownCells(metricsTable)) expect(html).toContain(`>${cell}</td>`);
    expect(html).toContain("<th scope=\"col\" class=\"num\">NDCG@10 ↑</th>");
    expect(html).toContain("<th scope=\"col\" class=\"num\">RMSE ↓</th>");
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain("@media print");
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).toContain(`${significance[0].replace(/</g, "&lt;")}</p>`);
  });

  it("escapes a run named <script>: shown as text, never parsed", async () => {
    const html = decode((await renderReport(hostileDoc, "html")).body);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("PDF export", () => {
  it("has the title, every metric name and value of the table, the significance sentence and page numbers", async () => {
    const rendered = await renderReport(doc, "pdf");
    expect(rendered.contentType).toBe("application/pdf");
    expect(decode(rendered.body.slice(0, 5))).toBe("%PDF-");
    const pages = await extractPdfPages(rendered.body);
    const all = squash(pages.join(" "));
    expect(all).toContain(squash(doc.title));
    for (const label of metricsTable.columns.map((c) => c.label)) expect(all).toContain(squash(label));
    for (const cell of shownCells(metricsTable)) expect(all).toContain(squash(pdfText(cell)));
    expect(all).toContain(squash(pdfText(significance[0])));
    for (const p of doc.provenance) expect(squash(pages[0])).toContain(squash(`${p.label}${p.value}`));
    pages.forEach((page, i) => expect(page).toContain(`page ${i + 1} of ${pages.length}`));
  });

  it("breaks a long table across pages, repeating its header row, and wraps long text", async () => {
    const long: ReportDocument = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      kind: "run",
      title: "Long table",
      provenance: [{ label: "Dataset", value: "x" }],
      sections: [
        {
          heading: "Rows",
          blocks: [
            { type: "text", text: "word ".repeat(400) },
            { type: "table", id: "t", caption: "Many rows", columns: [{ key: "k", label: "Key column" }, { key: "v", label: "Value column", numeric: true, digits: 2 }], rows: Array.from({ length: 150 }, (_, i) => [`row ${i}`, i / 3]) },
          ],
        },
      ],
    };
    const pages = await extractPdfPages((await renderReport(long, "pdf")).body);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const withRows = pages.filter((p) => /row \d+/.test(p));
    expect(withRows.length).toBeGreaterThanOrEqual(2);
    for (const page of withRows) expect(page).toContain("Key column");
    expect(squash(pages.join(" "))).toContain(squash("row 149 49.67"));
  });

  it("prints a table too wide for the page in parts of columns, each repeating the first, numbers unbroken", async () => {
    const columns = [{ key: "run", label: "Run" }, ...Array.from({ length: 20 }, (_, i) => ({ key: `m${i}`, label: `Coverage@${i + 10}`, numeric: true, digits: 4, direction: "higher" as const }))];
    const rows = ["first run", "second run"].map((name, r) => [name, ...Array.from({ length: 20 }, (_, i) => (r * 20 + i + 1) / 41)]);
    const wide: ReportDocument = { ...doc, sections: [{ heading: "Wide", blocks: [{ type: "table", id: "wide", caption: "Wide table", columns, rows }] }] };
    const text = (await extractPdfPages((await renderReport(wide, "pdf")).body)).join(" ");
    const parts = [...text.matchAll(/Wide table \(part (\d) of (\d)\)/g)];
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.length).toBe(Number(parts[0][2]));
    expect(text.match(/first run/g)?.length).toBe(parts.length);
    for (const row of rows) for (const value of row.slice(1)) expect(text).toContain((value as number).toFixed(4));
  });

  it("draws charts as vector paths, not images", async () => {
    const counts = await countPdfOperators((await renderReport(doc, "pdf")).body);
    // Table rules plus the two charts: grid lines, axes, 3 bars with 3-stroke whiskers, 3 curves with dots.
    expect(counts.constructPath).toBeGreaterThan(30);
    expect(Object.keys(counts).filter((op) => /image/i.test(op))).toEqual([]);
  });

  it("writes a <script> name as literal text", async () => {
    const all = (await extractPdfPages((await renderReport(hostileDoc, "pdf")).body)).join(" ");
    expect(squash(all)).toContain(squash(`${HOSTILE} beats Popularity`));
  });
});

describe("CSV export", () => {
  it("round-trips the table: parsing the file gives the document's values", async () => {
    const rendered = await renderReport(doc, "csv");
    expect(rendered.contentType).toBe("text/csv; charset=utf-8");
    const [header, ...rows] = parseCsv(decode(rendered.body));
    expect(header).toEqual(metricsTable.columns.map((c) => c.label));
    expect(rows.map((r) => r.map((cell, i) => (metricsTable.columns[i].numeric ? Number(cell) : cell)))).toEqual(metricsTable.rows);
  });

  it("zips one file per table when there are several, and neutralises formula cells", async () => {
    const table = (id: string, first: string): ReportTable => ({ type: "table", id, caption: id, columns: [{ key: "a", label: "a" }, { key: "b", label: "b", numeric: true }], rows: [[first, -1.5], [null, 2]] });
    const two: ReportDocument = { ...doc, sections: [{ heading: "x", blocks: [table("first", "=HYPERLINK(\"http://evil\")"), table("second", "plain, with comma")] }] };
    const rendered = await renderReport(two, "csv");
    expect(rendered.contentType).toBe("application/zip");
    expect(rendered.fileName).toMatch(/\.zip$/);
    const files = unzipSync(rendered.body);
    expect(Object.keys(files).sort()).toEqual(["first.csv", "second.csv"]);
    expect(parseCsv(strFromU8(files["first.csv"]))).toEqual([["a", "b"], ["'=HYPERLINK(\"http://evil\")", "-1.5"], ["", "2"]]);
    expect(parseCsv(strFromU8(files["second.csv"]))[1]).toEqual(["plain, with comma", "-1.5"]);
  });
});

describe("JSON export", () => {
  it("is the document and validates against its zod schema and the published JSON Schema", async () => {
    const parsed = JSON.parse(decode((await renderReport(doc, "json")).body));
    expect(parsed).toEqual(doc);
    expect(reportDocumentSchema.parse(parsed)).toEqual(doc);
    const schema = reportJsonSchema();
    expect(schema.title).toBe("RecLab report document, schema version 1");
    expect(validateJsonSchema(schema, parsed)).toEqual([]);
  });

  it("the published schema rejects what the document type does not allow", () => {
    const schema = reportJsonSchema();
    const bad = JSON.parse(JSON.stringify(doc));
    bad.schemaVersion = 2;
    bad.sections[0].blocks[0].tone = "loud";
    bad.extra = true;
    expect(validateJsonSchema(schema, bad)).toEqual(["$.schemaVersion: expected 1", "$.sections[0].blocks[0]: matches 0 of oneOf", "$.extra: not allowed"]);
    expect(reportDocumentSchema.safeParse(bad).success).toBe(false);
  });
});
