import { truncateLabel } from "@/lib/util/chart-labels";
import { formatTick, niceTicks } from "@/lib/util/nice-ticks";

/** Label and notch of a run that lacks a parameter (one model's hyperparameter on another's run). */
export const MISSING_LABEL = "—";
/** Where the "—" notch sits on an axis; present values then use [PRESENT_FROM, 1]. */
const PRESENT_FROM = 0.16;
export const METRIC_AXIS = "__metric";

export interface ParallelLine {
  id: string;
  label: string;
  /** Axis name -> value; strings and booleans are placed as categories; absent keys are missing. */
  values: Record<string, unknown>;
  metric: number | null;
}

export interface ParallelAxis {
  key: string;
  /** Full name (tooltip) and the name as drawn. */
  title: string;
  label: string;
  ticks: { t: number; label: string }[];
  hasMissing: boolean;
}

export interface ParallelPolyline {
  id: string;
  label: string;
  metric: number;
  /** 0 worst … 1 best, by the metric's direction. */
  shade: number;
  /** One point per axis: t in [0, 1] from the bottom, and the value as text ("—" when missing). */
  points: { t: number; text: string }[];
}

export interface ParallelData {
  axes: ParallelAxis[];
  lines: ParallelPolyline[];
  /** Parameters left out to fit the width, fewest runs having them first out. */
  hidden: string[];
}

const isMissing = (v: unknown) => v === undefined || v === null || (typeof v === "number" && !Number.isFinite(v));
const valueText = (v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(4)).toString() : String(v));

function numericAxis(values: number[], log: boolean): { pos: (v: number) => number; ticks: { value: number; label: string }[] } {
  if (log) {
    const [lo, hi] = [Math.floor(Math.log10(Math.min(...values))), Math.ceil(Math.log10(Math.max(...values)))];
    const every = Math.ceil((hi - lo + 1) / 5);
    const ticks = [];
    for (let e = lo; e <= hi; e += every) ticks.push({ value: 10 ** e, label: Number((10 ** e).toPrecision(1)).toString() });
    return { pos: (v) => (Math.log10(v) - lo) / Math.max(1, hi - lo), ticks };
  }
  const { ticks, step, domain } = niceTicks(Math.min(...values), Math.max(...values), 4);
  const span = domain[1] - domain[0] || 1;
  return { pos: (v) => (v - domain[0]) / span, ticks: ticks.map((value) => ({ value, label: formatTick(value, step) })) };
}

/**
 * Axes and polylines of a parallel-coordinates chart: at most `maxAxes` axes (the metric last;
 * parameters most runs share first), 1-2-5 ticks, log axes for positive ranges over 100×, and a
 * "—" notch at the bottom of an axis for runs without that parameter. Nothing reads "undefined".
 */
export function parallelCoordinatesData(
  input: ParallelLine[],
  params: string[],
  { metricLabel, higherIsBetter = true, maxAxes = 8, maxChars = 14 }: { metricLabel: string; higherIsBetter?: boolean; maxAxes?: number; maxChars?: number },
): ParallelData {
  const shown = input.filter((l): l is ParallelLine & { metric: number } => l.metric !== null && Number.isFinite(l.metric));
  const coverage = (p: string) => shown.filter((l) => !isMissing(l.values[p])).length;
  const room = Math.max(1, maxAxes - 1);
  const kept = params
    .map((p, i) => ({ p, i, n: coverage(p) }))
    .filter((a) => a.n > 0)
    .sort((a, b) => b.n - a.n || a.i - b.i);
  const drawn = kept.slice(0, room).sort((a, b) => a.i - b.i).map((a) => a.p);
  const hidden = params.filter((p) => !drawn.includes(p));

  const axes: ParallelAxis[] = [];
  const positions: ((line: ParallelLine & { metric: number }) => { t: number; text: string })[] = [];
  for (const key of [...drawn, METRIC_AXIS]) {
    const raw = shown.map((l) => (key === METRIC_AXIS ? l.metric : l.values[key]));
    const present = raw.filter((v) => !isMissing(v));
    const hasMissing = present.length < raw.length;
    const [from, span] = hasMissing ? [PRESENT_FROM, 1 - PRESENT_FROM] : [0, 1];
    let place: (v: unknown) => number;
    let ticks: { t: number; label: string }[];
    if (present.every((v) => typeof v === "number")) {
      const nums = present as number[];
      const log = key !== METRIC_AXIS && Math.min(...nums) > 0 && Math.max(...nums) / Math.min(...nums) >= 100;
      const axis = numericAxis(nums, log);
      place = (v) => from + span * axis.pos(v as number);
      ticks = axis.ticks.map((tick) => ({ t: place(tick.value), label: tick.label }));
    } else {
      const cats = [...new Set(present.map(valueText))];
      place = (v) => from + span * (cats.length === 1 ? 0.5 : cats.indexOf(valueText(v)) / (cats.length - 1));
      ticks = cats.map((c) => ({ t: place(c), label: truncateLabel(c, maxChars) }));
    }
    if (hasMissing) ticks.unshift({ t: 0, label: MISSING_LABEL });
    const title = key === METRIC_AXIS ? metricLabel : key;
    axes.push({ key, title, label: truncateLabel(title, maxChars), ticks, hasMissing });
    positions.push((line) => {
      const v = key === METRIC_AXIS ? line.metric : line.values[key];
      return isMissing(v) ? { t: 0, text: `${title}: ${MISSING_LABEL}` } : { t: place(v), text: `${title}=${valueText(v)}` };
    });
  }

  const metrics = shown.map((l) => l.metric);
  const [lo, hi] = [Math.min(...metrics), Math.max(...metrics)];
  const shade = (m: number) => {
    const t = hi === lo ? 1 : (m - lo) / (hi - lo);
    return higherIsBetter ? t : 1 - t;
  };
  const lines = shown.map((l) => ({ id: l.id, label: l.label, metric: l.metric, shade: shade(l.metric), points: positions.map((at) => at(l)) }));
  return { axes, lines, hidden };
}
