import { Rng } from "../../lib/util/rng";

export interface AbLogGeneratorOptions {
  rows: number;
  seed: number;
  /** Mean CTR per arm (the first is the control); users' own CTRs spread uniformly over [0, 2 × mean]. */
  ctr: number[];
  armNames: string[];
  /** Unix seconds (fast path) or ISO-8601 timestamps. */
  isoTimestamps?: boolean;
}

const START = Date.UTC(2026, 9, 1) / 1000;
const DAY = 86_400;

/**
 * A seeded synthetic A/B log, one CSV line at a time (header first): users assigned uniformly
 * to the arms, 1–9 visits each on distinct days, 10 impressions per visit, binomial clicks at the
 * user's own CTR, exponential dwell (mean 40 s) per click, a purchase after 10% of clicking
 * visits. Stops at exactly `rows` data rows.
 */
export function* generateAbLog(options: AbLogGeneratorOptions): Generator<string> {
  const rng = new Rng(options.seed);
  yield "user,arm,timestamp,impressions,clicks,dwell_seconds,conversion";
  let rows = 0;
  for (let user = 1; rows < options.rows; user++) {
    const arm = rng.int(options.armNames.length);
    const p = 2 * options.ctr[arm] * rng.next();
    const visits = 1 + rng.int(9);
    for (let v = 0; v < visits && rows < options.rows; v++, rows++) {
      const seconds = START + v * DAY + rng.int(DAY);
      let clicks = 0;
      for (let i = 0; i < 10; i++) if (rng.next() < p) clicks++;
      let dwell = 0;
      for (let c = 0; c < clicks; c++) dwell += -40 * Math.log(1 - rng.next());
      const converted = clicks > 0 && rng.next() < 0.1 ? 1 : 0;
      const timestamp = options.isoTimestamps ? new Date(seconds * 1000).toISOString().slice(0, 19) + "Z" : seconds;
      yield `u${user},${options.armNames[arm]},${timestamp},10,${clicks},${dwell.toFixed(1)},${converted}`;
    }
  }
}
