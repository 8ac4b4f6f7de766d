import { parseError } from "../../errors";
import { clip, parseNumber, parseTimestamp } from "./fields";
import { forEachLine } from "./line-reader";
import { withFileLabel } from "./records";
import { textLimits, toRawImport, type FormatReader } from "./reader";
import { RowCollector } from "./row-collector";
import { ItemInfoBuilder } from "./side-info";

/** Review summaries kept per item as its text when the metadata has no description. */
const MAX_REVIEW_TEXT_CHARS = 1000;

type JsonRecord = Record<string, unknown>;

/**
 * Amazon reviews (McAuley JSON lines, optionally gzipped): reviewerID, asin, overall,
 * unixReviewTime; optional metadata lines (asin, title, categories | category, description).
 */
export const readAmazon: FormatReader = async (files, ctx) => {
  const rows = new RowCollector(ctx);
  const reviewText = new Map<number, string>();
  await forEachLine(files.ratings, { encoding: "utf-8", ...textLimits(ctx) }, (text, line) => {
    const r = parseJsonLine(text, line);
    const user = requireScalar(r, "reviewerID", line);
    const item = requireScalar(r, "asin", line);
    const rating = parseNumber(requireScalar(r, "overall", line), "rating", line);
    const timestamp = parseTimestamp(requireScalar(r, "unixReviewTime", line), line, false);
    rows.push(user, item, rating, timestamp, line);
    const summary = typeof r.summary === "string" ? r.summary.trim() : "";
    const index = rows.itemIds.lookup(item.trim());
    if (summary && index !== undefined) {
      const sofar = reviewText.get(index) ?? "";
      if (sofar.length < MAX_REVIEW_TEXT_CHARS) reviewText.set(index, sofar ? `${sofar} ${summary}` : summary);
    }
  });

  const numItems = rows.itemIds.keys.length;
  const items = new ItemInfoBuilder(numItems);
  if (files.items) {
    await withFileLabel("metadata", () =>
      forEachLine(files.items as string, { encoding: "utf-8", ...textLimits(ctx) }, (text, line) => {
        const m = parseJsonLine(text, line);
        const index = rows.itemIds.lookup(requireScalar(m, "asin", line).trim());
        if (index === undefined) return;
        items.set(index, { title: stringOrNull(m.title), genres: categories(m), text: description(m.description) });
      }),
    );
  }
  for (const [index, text] of reviewText) {
    if (items.getText(index) === null) items.set(index, { text: text.slice(0, MAX_REVIEW_TEXT_CHARS) });
  }
  const notes = files.users ? ["Amazon reviews have no users file; it was ignored"] : [];
  return toRawImport(
    { rows, hasRatings: true, hasTimestamps: true },
    files.items || reviewText.size > 0 ? items : null,
    null,
    notes,
  );
};

function parseJsonLine(text: string, line: number): JsonRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw parseError(line, "not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw parseError(line, "not a JSON object");
  return value as JsonRecord;
}

/** A string or number field as text; missing/null is "missing field", objects are refused. */
function requireScalar(r: JsonRecord, field: string, line: number): string {
  const v = r[field];
  if (v === undefined || v === null) throw parseError(line, `missing field '${field}'`, field);
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  throw parseError(line, `field '${field}' is not a string or number (${clip(JSON.stringify(v))})`, field);
}

function stringOrNull(v: unknown): string | null {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
}

/** `categories` (array of category paths) or `category` (one path), flattened and de-duplicated. */
function categories(m: JsonRecord): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === "string" && v.trim() !== "" && !out.includes(v.trim())) out.push(v.trim());
    else if (Array.isArray(v)) v.forEach(add);
  };
  add(m.categories);
  add(m.category);
  return out;
}

function description(v: unknown): string | null {
  if (Array.isArray(v)) return stringOrNull(v.filter((s) => typeof s === "string").join(" "));
  return stringOrNull(v);
}
