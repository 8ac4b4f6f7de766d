import type { ReportDocument } from "../document";

/** "comparison-of-3-runs-on-ndcg-10.pdf": the title in lower-case ASCII words, at most 80 characters. */
export function reportFileName(doc: ReportDocument, extension: string): string {
  const slug = doc.title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return `${slug || doc.kind}.${extension}`;
}
