import { isHigherBetter } from "./registry";

/**
 * Better or worse, by each metric's direction (registry `higherIsBetter`): the one rule behind
 * best-per-column, ranking, and the colour and wording of every delta. A drop in NDCG is worse;
 * a drop in RMSE, Gini, ARP or miscalibration is better.
 */
export type Tone = "better" | "worse" | "neutral";

/** `delta` signed so that positive means better for metric `key` (a change of `to − from`). */
export function gain(key: string, delta: number): number {
  return isHigherBetter(key) ? delta : -delta;
}

/** Comparator putting the better value first; non-finite values last. */
export function betterFirst(key: string): (x: number, y: number) => number {
  return (x, y) => {
    const fx = Number.isFinite(x), fy = Number.isFinite(y);
    if (!fx || !fy) return fx === fy ? 0 : fx ? -1 : 1;
    return gain(key, y - x) < 0 ? -1 : gain(key, y - x) > 0 ? 1 : 0;
  };
}

/** The best finite value of metric `key` among `values`, or undefined when there is none. */
export function bestValue(key: string, values: number[]): number | undefined {
  return values.filter((v) => Number.isFinite(v)).sort(betterFirst(key))[0];
}

/** Green for a significant gain, red for a significant loss, neutral otherwise. */
export function changeTone(key: string, delta: number, significant: boolean): Tone {
  return directionTone(isHigherBetter(key), delta, significant);
}

/** changeTone for a metric outside the registry that states its own direction (A/B test metrics). */
export function directionTone(higherIsBetter: boolean, delta: number, significant: boolean): Tone {
  if (!significant || !Number.isFinite(delta) || delta === 0) return "neutral";
  return (higherIsBetter ? delta : -delta) > 0 ? "better" : "worse";
}

/** CSS class of a tone (globals.css): bold green, bold red, or muted. */
export const TONE_CLASS: Record<Tone, string> = { better: "tone-better", worse: "tone-worse", neutral: "tone-neutral" };

/** Fill colour of a tone in charts, matching TONE_CLASS. */
export const TONE_FILL: Record<Tone, string> = { better: "#2b8a3e", worse: "#c92a2a", neutral: "#adb5bd" };

/** The tone in words, for titles and screen readers. */
export const TONE_WORDS: Record<Tone, string> = { better: "significantly better", worse: "significantly worse", neutral: "no significant change" };

/** "+0.0123" / "−0.1019" with a true minus sign. */
export function formatDelta(delta: number, digits = 4): string {
  if (!Number.isFinite(delta)) return "–";
  return `${delta >= 0 ? "+" : "−"}${Math.abs(delta).toFixed(digits)}`;
}

/** Tone of a delta tested against a baseline: significant when its (corrected) p is below `alpha`. */
export function deltaTone(key: string, d: { delta: number; p: number | null } | undefined, alpha = 0.05): Tone {
  return d ? changeTone(key, d.delta, d.p !== null && d.p < alpha) : "neutral";
}
