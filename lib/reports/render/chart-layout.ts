import { categoryLayout, truncateLabel } from "../../util/chart-labels";
import { formatTick, niceTicks } from "../../util/nice-ticks";
import type { ReportChart } from "../document";

/**
 * One chart layout, two drawings: the HTML renderer writes these marks as inline SVG and the PDF
 * renderer as pdfkit vector paths, so both show the same axes, ticks, bars and whiskers.
 * Coordinates are in points/pixels with y growing downwards (as in SVG and pdfkit).
 */
export type Mark =
  | { type: "line"; x1: number; y1: number; x2: number; y2: number; stroke: string; width: number; dash?: boolean }
  | { type: "rect"; x: number; y: number; width: number; height: number; fill: string }
  | { type: "polyline"; points: [number, number][]; stroke: string; width: number }
  | { type: "circle"; x: number; y: number; r: number; fill: string }
  | { type: "text"; x: number; y: number; text: string; anchor: "start" | "middle" | "end"; size: number; fill: string; angle?: number };

/** Series colours, in the order the UI's line charts use them. */
export const CHART_COLORS = ["#3b5bdb", "#e8590c", "#2b8a3e", "#ae3ec9", "#1098ad", "#c92a2a", "#5c940d", "#495057"];
const AXIS = "#5b6470";
const GRID = "#e2e5ea";
const INK = "#1b1f24";
const FONT = 9;
/** Approximate advance of one character at `size`, for fitting labels (sans-serif average). */
export const charWidth = (size: number) => size * 0.55;

const numeric = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export interface ChartLayout {
  width: number;
  height: number;
  marks: Mark[];
}

/** Lays out a bar, line or interval chart in a width × height box. */
export function layoutChart(chart: ReportChart, width: number, height: number): ChartLayout {
  const marks: Mark[] = [];
  const legend = chart.series.length > 1;
  const isCategorical = chart.kind !== "line" || !chart.points.every((p) => numeric(p[chart.xKey]));
  const labels = chart.points.map((p) => String(p[chart.xKey] ?? ""));
  const left = 52, right = 12;
  const plotWidth = width - left - right;
  const cat = isCategorical ? categoryLayout(labels, plotWidth, 22) : { angle: 0, maxChars: 22, height: 22 };
  // Legend entries flow left to right and wrap onto more rows when the series are many.
  const entries: { x: number; row: number; label: string }[] = [];
  if (legend) {
    let x = left, row = 0;
    for (const s of chart.series) {
      const label = truncateLabel(s.label, 24);
      const w = 11 + charWidth(FONT) * label.length + 12;
      if (x + w > width - right && x > left) [x, row] = [left, row + 1];
      entries.push({ x, row, label });
      x += w;
    }
  }
  const top = legend ? 8 + 14 * (entries[entries.length - 1].row + 1) : 8;
  const bottom = Math.max(22, cat.height) + (chart.xLabel ? 14 : 0);
  const plotHeight = Math.max(40, height - top - bottom);
  const [x0, y0] = [left, top];

  // y domain: every value drawn (whiskers included), and zero for bars.
  const values: number[] = [];
  for (const p of chart.points) {
    for (const s of chart.series) if (numeric(p[s.key])) values.push(p[s.key] as number);
    if (chart.lowKey && numeric(p[chart.lowKey])) values.push(p[chart.lowKey] as number);
    if (chart.highKey && numeric(p[chart.highKey])) values.push(p[chart.highKey] as number);
  }
  if (chart.kind !== "line") values.push(0);
  if (values.length === 0) values.push(0, 1);
  const yTicks = niceTicks(Math.min(...values), Math.max(...values), 5);
  const [yMin, yMax] = yTicks.domain;
  const yOf = (v: number) => y0 + plotHeight - ((v - yMin) / (yMax - yMin || 1)) * plotHeight;

  for (const t of yTicks.ticks) {
    const y = yOf(t);
    marks.push({ type: "line", x1: x0, y1: y, x2: x0 + plotWidth, y2: y, stroke: GRID, width: 0.6, dash: true });
    marks.push({ type: "text", x: x0 - 4, y: y + FONT / 3, text: formatTick(t, yTicks.step), anchor: "end", size: FONT, fill: AXIS });
  }
  marks.push({ type: "line", x1: x0, y1: y0, x2: x0, y2: y0 + plotHeight, stroke: AXIS, width: 0.8 });
  marks.push({ type: "line", x1: x0, y1: y0 + plotHeight, x2: x0 + plotWidth, y2: y0 + plotHeight, stroke: AXIS, width: 0.8 });
  if (yMin < 0 && yMax > 0) marks.push({ type: "line", x1: x0, y1: yOf(0), x2: x0 + plotWidth, y2: yOf(0), stroke: AXIS, width: 0.8 });
  if (chart.yLabel) marks.push({ type: "text", x: 10, y: y0 + plotHeight / 2, text: truncateLabel(chart.yLabel, 30), anchor: "middle", size: FONT, fill: AXIS, angle: -90 });
  if (chart.xLabel) marks.push({ type: "text", x: x0 + plotWidth, y: height - 3, text: chart.xLabel, anchor: "end", size: FONT, fill: AXIS });

  let xOf: (p: Record<string, unknown>, i: number) => number;
  const band = plotWidth / Math.max(1, chart.points.length);
  if (isCategorical) {
    xOf = (_p, i) => x0 + band * (i + 0.5);
    labels.forEach((label, i) => {
      const x = x0 + band * (i + 0.5), y = y0 + plotHeight + (cat.angle === 0 ? FONT + 3 : 6);
      marks.push({ type: "text", x, y, text: truncateLabel(label, cat.maxChars), anchor: cat.angle === 0 ? "middle" : "end", size: FONT, fill: AXIS, ...(cat.angle ? { angle: cat.angle } : {}) });
    });
  } else {
    const xs = chart.points.map((p) => p[chart.xKey] as number);
    const xTicks = niceTicks(Math.min(...xs), Math.max(...xs), 6);
    const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
    const span = xMax - xMin || 1;
    const scale = (v: number) => x0 + ((v - xMin) / span) * plotWidth;
    xOf = (p) => scale(p[chart.xKey] as number);
    // Whole-number x (epochs, ranks) gets whole-number ticks only.
    const whole = xs.every((x) => Number.isInteger(x));
    const step = whole ? Math.max(1, xTicks.step) : xTicks.step;
    const ticks = whole && xTicks.step < 1 ? Array.from({ length: xMax - xMin + 1 }, (_, i) => xMin + i) : xTicks.ticks;
    for (const t of ticks.filter((t) => t >= xMin - 1e-9 && t <= xMax + 1e-9)) {
      marks.push({ type: "text", x: scale(t), y: y0 + plotHeight + FONT + 3, text: formatTick(t, step), anchor: "middle", size: FONT, fill: AXIS });
    }
  }

  const colour = (i: number) => CHART_COLORS[i % CHART_COLORS.length];
  if (chart.kind === "line") {
    chart.series.forEach((s, si) => {
      let run: [number, number][] = [];
      const flush = () => {
        if (run.length > 1) marks.push({ type: "polyline", points: run, stroke: colour(si), width: 1.5 });
        run = [];
      };
      chart.points.forEach((p, i) => {
        const v = p[s.key];
        if (!numeric(v)) return flush();
        run.push([xOf(p, i), yOf(v)]);
        if (chart.points.length < 40) marks.push({ type: "circle", x: xOf(p, i), y: yOf(v), r: 1.8, fill: colour(si) });
      });
      flush();
    });
  } else {
    const groupWidth = band * 0.7;
    const barWidth = groupWidth / chart.series.length;
    chart.points.forEach((p, i) => {
      chart.series.forEach((s, si) => {
        const v = p[s.key];
        if (!numeric(v)) return;
        const x = xOf(p, i) - groupWidth / 2 + barWidth * si;
        const [ya, yb] = [yOf(0), yOf(v)];
        marks.push({ type: "rect", x, y: Math.min(ya, yb), width: Math.max(0.5, barWidth - 1), height: Math.abs(yb - ya), fill: colour(si) });
        const [low, high] = [chart.lowKey ? p[chart.lowKey] : null, chart.highKey ? p[chart.highKey] : null];
        if (chart.kind === "interval" && numeric(low) && numeric(high)) {
          const cx = x + barWidth / 2, half = Math.min(6, barWidth / 4);
          marks.push({ type: "line", x1: cx, y1: yOf(low), x2: cx, y2: yOf(high), stroke: INK, width: 1.2 });
          marks.push({ type: "line", x1: cx - half, y1: yOf(low), x2: cx + half, y2: yOf(low), stroke: INK, width: 1.2 });
          marks.push({ type: "line", x1: cx - half, y1: yOf(high), x2: cx + half, y2: yOf(high), stroke: INK, width: 1.2 });
        }
      });
    });
  }

  entries.forEach(({ x, row, label }, si) => {
    marks.push({ type: "rect", x, y: 4 + 14 * row, width: 8, height: 8, fill: colour(si) });
    marks.push({ type: "text", x: x + 11, y: 11 + 14 * row, text: label, anchor: "start", size: FONT, fill: INK });
  });
  return { width, height, marks };
}
