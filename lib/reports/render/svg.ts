import type { ReportChart } from "../document";
import { layoutChart, type Mark } from "./chart-layout";
import { escapeHtml } from "./escape";

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 280;

const n = (v: number) => (Math.round(v * 10) / 10).toString();

function markSvg(m: Mark): string {
  switch (m.type) {
    case "line":
      return `<line x1="${n(m.x1)}" y1="${n(m.y1)}" x2="${n(m.x2)}" y2="${n(m.y2)}" stroke="${m.stroke}" stroke-width="${m.width}"${m.dash ? ' stroke-dasharray="3 3"' : ""}/>`;
    case "rect":
      return `<rect x="${n(m.x)}" y="${n(m.y)}" width="${n(m.width)}" height="${n(m.height)}" fill="${m.fill}"/>`;
    case "polyline":
      return `<polyline points="${m.points.map(([x, y]) => `${n(x)},${n(y)}`).join(" ")}" fill="none" stroke="${m.stroke}" stroke-width="${m.width}" stroke-linejoin="round"/>`;
    case "circle":
      return `<circle cx="${n(m.x)}" cy="${n(m.y)}" r="${m.r}" fill="${m.fill}"/>`;
    case "text": {
      const rotate = m.angle ? ` transform="rotate(${m.angle} ${n(m.x)} ${n(m.y)})"` : "";
      return `<text x="${n(m.x)}" y="${n(m.y)}" font-size="${m.size}" fill="${m.fill}" text-anchor="${m.anchor}"${rotate}>${escapeHtml(m.text)}</text>`;
    }
  }
}

/**
 * A chart as inline SVG. Drawn from the chart's own data rather than by the UI's recharts
 * components: recharts 3 lays charts out in effects, so react-dom/server's renderToStaticMarkup
 * of a <BarChart width height> yields only an empty wrapper <div> (no <svg>), and route handlers
 * run in React's server-components build, where react-dom/server is not available at all.
 */
export function chartSvg(chart: ReportChart, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const layout = layoutChart(chart, width, height);
  return (
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(chart.caption)}" font-family="Helvetica, Arial, sans-serif">` +
    `<title>${escapeHtml(chart.caption)}</title>` +
    layout.marks.map(markSvg).join("") +
    "</svg>"
  );
}
