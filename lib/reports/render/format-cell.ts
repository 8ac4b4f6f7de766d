import { formatCount } from "../../util/format";
import type { ReportCell, ReportColumn } from "../document";

/** A cell as HTML and PDF show it: numbers with the column's digits (whole counts grouped), empty as "–". */
export function formatCell(cell: ReportCell, column: ReportColumn): string {
  if (cell === null || cell === "") return "–";
  if (typeof cell === "string") return cell;
  if (!Number.isFinite(cell)) return "–";
  const digits = column.digits ?? (Number.isInteger(cell) ? 0 : 4);
  return digits === 0 && Number.isInteger(cell) ? formatCount(cell) : cell.toFixed(digits);
}

/** A column header with its direction: "NDCG@10 ↑" (higher is better), "RMSE ↓". */
export function columnHeading(column: ReportColumn): string {
  return column.direction === "higher" ? `${column.label} ↑` : column.direction === "lower" ? `${column.label} ↓` : column.label;
}
