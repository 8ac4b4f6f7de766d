/**
 * Axis ticks at 1-2-5 steps (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10 …) covering [lo, hi], as chart
 * libraries pick them (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990).
 */
export interface NiceTicks {
  /** Tick values, ascending, the first ≤ lo and the last ≥ hi. */
  ticks: number[];
  step: number;
  /** [first tick, last tick]: the axis domain. */
  domain: [number, number];
}

/** The 1-2-5 step that gives about `count` intervals over `span`. */
export function niceStep(span: number, count = 5): number {
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
}

/** About `count` (≥ 1) intervals of a 1-2-5 step from a multiple of the step at or below lo to one at or above hi. */
export function niceTicks(lo: number, hi: number, count = 5): NiceTicks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [], step: NaN, domain: [0, 1] };
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 10;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const step = niceStep(hi - lo, count);
  const decimals = stepDecimals(step);
  const first = Math.floor(lo / step + 1e-9), last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(decimals)) || 0); // || 0: no -0
  return { ticks, step, domain: [ticks[0], ticks[ticks.length - 1]] };
}

/** Decimals a tick of this step needs: 0.05 -> 2, 0.2 -> 1, 5 -> 0. */
export function stepDecimals(step: number): number {
  return Number.isFinite(step) && step > 0 ? Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) : 0;
}

/** A tick label with just the decimals its step needs: 0.15 at step 0.05 is "0.15", 152 at step 1 is "152". */
export function formatTick(value: number, step: number): string {
  return value.toFixed(stepDecimals(step));
}
