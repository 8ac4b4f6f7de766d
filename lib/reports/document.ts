/**
 * The report document: a typed, renderer-independent description of one report, assembled
 * from stored facts (lib/reports/assemble/*) and rendered to HTML, PDF, CSV and JSON
 * (lib/reports/render/*). The JSON export is this document, versioned by `schemaVersion`.
 */

export const REPORT_SCHEMA_VERSION = 1;

export type ReportKind = "run" | "experiment" | "comparison" | "dataset" | "bias" | "ab-test";

/** Which report to build; ids are checked against the reader's team when it is built. */
export type ReportTarget =
  | { kind: "run"; runId: string }
  | { kind: "experiment"; experimentId: string }
  /** `metric`: the compared metric of intervals, curves and tests (default ndcg@10, as on the compare page). */
  | { kind: "comparison"; runIds: string[]; metric?: string }
  | { kind: "dataset"; datasetId: string }
  /** `groupBy`: user attribute or "activity" (default: the report's own choice). */
  | { kind: "bias"; runId: string; groupBy?: string }
  | { kind: "ab-test"; abTestId: string };

export type ReportFormat = "html" | "pdf" | "csv" | "json";

export const REPORT_FORMATS = ["html", "pdf", "csv", "json"] as const satisfies readonly ReportFormat[];

/** Most runs one comparison report takes, so its work (pairs grow as N²) stays bounded. */
export const MAX_COMPARED_RUNS = 12;

/** A metric direction for colouring deltas: which way is better. */
export type Direction = "higher" | "lower" | "neutral";

export interface ReportColumn {
  key: string;
  label: string;
  numeric?: boolean;
  /** Digits after the point for numeric cells. */
  digits?: number;
  direction?: Direction;
}

export type ReportCell = string | number | null;

export interface ReportTable {
  type: "table";
  /** Stable identifier, also the CSV file name inside a zip. */
  id: string;
  caption: string;
  columns: ReportColumn[];
  rows: ReportCell[][];
}

export interface ReportText {
  type: "text";
  text: string;
  /** "note" renders muted; "finding" is a sentence a reader should not miss (significance, verdicts). */
  tone?: "plain" | "note" | "finding";
}

export interface ChartSeries {
  key: string;
  label: string;
}

/** A chart drawn from data points; every renderer draws it as vector graphics. */
export interface ReportChart {
  type: "chart";
  id: string;
  caption: string;
  kind: "bar" | "line" | "interval";
  /** Field of each point used on the x axis (category or number). */
  xKey: string;
  xLabel?: string;
  yLabel?: string;
  series: ChartSeries[];
  points: Record<string, string | number | null>[];
  /** For "interval": fields holding each point's lower and upper bound. */
  lowKey?: string;
  highKey?: string;
}

export type ReportBlock = ReportTable | ReportText | ReportChart;

export interface ReportSection {
  heading: string;
  blocks: ReportBlock[];
}

export interface ReportDocument {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: ReportKind;
  title: string;
  /** Dataset, split, seed, RecLab version, backend, generated at: label/value pairs shown first. */
  provenance: { label: string; value: string }[];
  sections: ReportSection[];
}

/** A rendered file. */
export interface RenderedReport {
  body: Uint8Array;
  contentType: string;
  fileName: string;
}
