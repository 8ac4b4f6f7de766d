/** Approximate width of one character at the 11 px axis font, in px. */
const CHAR_PX = 6.2;

/** "a very long run na…" when longer than `max` characters; the full text goes in a tooltip. */
export function truncateLabel(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

export interface CategoryLayout {
  /** 0 (level), -35 or -90 degrees. */
  angle: number;
  /** Characters kept before "…". */
  maxChars: number;
  /** Height the axis needs for its labels, px. */
  height: number;
}

/**
 * How to draw every label of a category axis without overlap: level when the longest label fits
 * its band, else slanted at −35°, else (bands under 14 px) vertical; long labels truncated.
 */
export function categoryLayout(labels: string[], plotWidth: number, maxChars = 18): CategoryLayout {
  const band = plotWidth / Math.max(1, labels.length);
  const longest = Math.min(maxChars, Math.max(0, ...labels.map((l) => l.length)));
  if (longest * CHAR_PX <= band - 6) return { angle: 0, maxChars, height: 30 };
  const height = Math.ceil(Math.min(longest, maxChars) * CHAR_PX * (band < 14 ? 1 : Math.sin((35 * Math.PI) / 180))) + 16;
  return { angle: band < 14 ? -90 : -35, maxChars, height };
}
