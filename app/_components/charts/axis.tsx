"use client";
import { useEffect, useRef, useState } from "react";
import { categoryLayout, truncateLabel } from "@/lib/util/chart-labels";
import { formatTick, niceTicks } from "@/lib/util/nice-ticks";

/** Width of an element, following resizes; `fallback` until it has been measured. */
export function useElementWidth<T extends HTMLElement>(fallback = 640) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.round(entry.contentRect.width)));
    observer.observe(element);
    setWidth(element.clientWidth || fallback);
    return () => observer.disconnect();
  }, [fallback]);
  return { ref, width };
}

/** recharts props of a numeric axis with 1-2-5 ticks over `values` (which may include the baseline). */
export function niceAxisProps(values: number[], count = 5) {
  const finite = values.filter((v) => Number.isFinite(v));
  const { ticks, step, domain } = niceTicks(Math.min(...finite), Math.max(...finite), count);
  return { ticks, domain, tickFormatter: (v: number) => formatTick(v, step), allowDataOverflow: false };
}

interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value: unknown };
}

/**
 * recharts props of a category axis that shows every label: level, slanted or vertical as the
 * plot width allows (categoryLayout), truncated with the full text as a tooltip.
 */
export function categoryAxisProps(labels: string[], plotWidth: number) {
  const layout = categoryLayout(labels, plotWidth);
  const Tick = ({ x = 0, y = 0, payload }: TickProps) => {
    const full = String(payload?.value ?? "");
    return (
      <g transform={`translate(${x},${y})`}>
        <title>{full}</title>
        <text dy={layout.angle === 0 ? 12 : 4} textAnchor={layout.angle === 0 ? "middle" : "end"} fontSize={11} fill="#5b6470" transform={layout.angle === 0 ? undefined : `rotate(${layout.angle})`}>
          {truncateLabel(full, layout.maxChars)}
        </text>
      </g>
    );
  };
  return { interval: 0 as const, tick: Tick, height: layout.height };
}
