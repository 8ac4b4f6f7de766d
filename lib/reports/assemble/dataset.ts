import type { DataSheet } from "../../server/get-data-sheet";
import { formatCount } from "../../util/format";
import { text } from "../blocks";
import { REPORT_SCHEMA_VERSION, type ReportBlock, type ReportDocument } from "../document";
import { provenance } from "../provenance";

/** A dataset's data sheet (Gebru et al. 2021) as a report: composition, preprocessing, personal data, fairness. */
export function assembleDatasetReport({ sheet, generatedAt }: { sheet: DataSheet; generatedAt: Date }): ReportDocument {
  const d = sheet.dataset;
  const s = d.stats;
  const composition: [string, string | number][] = [
    ["Source", d.source],
    ["Feedback", d.feedback],
    ["Users", d.numUsers],
    ["Items", d.numItems],
    ["Interactions", d.numInteractions],
    ["Sparsity", `${(d.sparsity * 100).toFixed(2)}%`],
    ["Ratings", s.rating ? `${s.rating.min} to ${s.rating.max}, mean ${s.rating.mean.toFixed(2)}` : "none (implicit feedback)"],
    ["Timestamps", d.hasTimestamps ? `yes${s.timeGranularity ? `, binned by ${s.timeGranularity}` : ""}` : "no"],
    ["Interactions per user", `min ${s.userActivity.min}, median ${s.userActivity.median}, mean ${s.userActivity.mean.toFixed(1)}, max ${s.userActivity.max}`],
    ["Interactions per item", `min ${s.itemActivity.min}, median ${s.itemActivity.median}, mean ${s.itemActivity.mean.toFixed(1)}, max ${s.itemActivity.max}`],
    ["Share of interactions on the 20% most popular items", `${Math.round(s.topItemsShare * 100)}%`],
    ["Imported", d.createdAt.slice(0, 10)],
  ];
  const compositionBlocks: ReportBlock[] = [
    text(`${d.name}: ${formatCount(d.numUsers)} users, ${formatCount(d.numItems)} items, ${formatCount(d.numInteractions)} interactions.`),
    { type: "table", id: "composition", caption: "Composition", columns: [{ key: "property", label: "Property" }, { key: "value", label: "Value" }], rows: composition },
  ];
  if (s.ratingHistogram && s.ratingHistogram.length > 0) {
    compositionBlocks.push({
      type: "chart",
      id: "rating-histogram",
      caption: "Ratings",
      kind: "bar",
      xKey: "rating",
      xLabel: "rating",
      yLabel: "interactions",
      series: [{ key: "count", label: "interactions" }],
      points: s.ratingHistogram.map((h) => ({ rating: String(h.rating), count: h.count })),
    });
  }
  if (s.itemPopularity.length > 1) {
    compositionBlocks.push({
      type: "chart",
      id: "long-tail",
      caption: "Long tail: interactions per item, by popularity rank",
      kind: "line",
      xKey: "rank",
      xLabel: "popularity rank",
      yLabel: "interactions",
      series: [{ key: "count", label: "interactions" }],
      points: s.itemPopularity.map((p) => ({ rank: p.rank, count: p.count })),
    });
  }
  const attributes: ReportBlock[] = [];
  if (s.userAttributes && s.userAttributes.length > 0) {
    attributes.push({
      type: "table",
      id: "user-attributes",
      caption: "User attributes",
      columns: [{ key: "name", label: "Attribute" }, { key: "distinct", label: "Distinct values", numeric: true, digits: 0 }, { key: "missing", label: "Missing", numeric: true, digits: 0 }, { key: "top", label: "Most frequent" }],
      rows: s.userAttributes.map((a) => [a.name, a.distinct, a.missing, a.top.slice(0, 5).map((t) => `${t.value} (${t.count})`).join(", ")]),
    });
  }
  if (s.itemAttributes) {
    attributes.push(text(`Items with a title: ${s.itemAttributes.withTitle}; with genres: ${s.itemAttributes.withGenres}; with text: ${s.itemAttributes.withText}.`));
    if (s.itemAttributes.topGenres.length > 0) {
      attributes.push({
        type: "table",
        id: "top-genres",
        caption: "Most frequent genres",
        columns: [{ key: "genre", label: "Genre" }, { key: "items", label: "Items", numeric: true, digits: 0 }],
        rows: s.itemAttributes.topGenres.map((g) => [g.value, g.count]),
      });
    }
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: "dataset",
    title: `Data sheet: ${d.name}`,
    provenance: provenance({ datasets: [d.name], splits: [], seeds: [], backends: [], generatedAt }),
    sections: [
      { heading: "Composition", blocks: compositionBlocks },
      ...(attributes.length ? [{ heading: "Attributes", blocks: attributes }] : []),
      { heading: "Preprocessing", blocks: sheet.preprocessing.map((line) => text(line)) },
      { heading: "Personal data", blocks: sheet.personalData.map((line) => text(line)) },
      { heading: "Fairness analyses", blocks: sheet.fairness.map((line) => text(line)) },
    ],
  };
}
