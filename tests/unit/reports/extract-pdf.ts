import path from "node:path";
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";

const standardFontDataUrl = path.join(process.cwd(), "node_modules/pdfjs-dist/standard_fonts/");

/** Text of every page of a PDF, as pdf.js (the legacy build, for Node) extracts it. */
export async function extractPdfPages(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: Uint8Array.from(bytes), standardFontDataUrl, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(" "));
  }
  await pdf.destroy();
  return pages;
}

/** Whitespace-free text: lines wrap at spaces and hyphens, so compare text without it. */
export const squash = (text: string) => text.replace(/\s+/g, "");

/** How often each drawing operator occurs over all pages, by pdf.js name ("constructPath", "paintImageXObject"…). */
export async function countPdfOperators(bytes: Uint8Array): Promise<Record<string, number>> {
  const pdf = await getDocument({ data: Uint8Array.from(bytes), standardFontDataUrl, isEvalSupported: false }).promise;
  const names = new Map(Object.entries(OPS).map(([name, code]) => [code, name]));
  const counts: Record<string, number> = {};
  for (let i = 1; i <= pdf.numPages; i++) {
    for (const op of (await (await pdf.getPage(i)).getOperatorList()).fnArray) {
      const name = names.get(op) ?? String(op);
      counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  await pdf.destroy();
  return counts;
}
