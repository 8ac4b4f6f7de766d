import { emptyArmTotals, type ArmTotals } from "./types";

/**
 * Per-user running totals of an A/B log, one slot per distinct user in typed arrays that double
 * when full (no object per row or per user), then split by arm into ArmTotals.
 */
export class AbLogUsers {
  readonly index = new Map<string, number>();
  size = 0;
  arm = new Uint8Array(1024);
  visits = new Float64Array(1024);
  impressions = new Float64Array(1024);
  clicks = new Float64Array(1024);
  dwell = new Float64Array(1024);
  conversions = new Float64Array(1024);
  firstTimestamp = new Float64Array(1024);
  firstLine = new Float64Array(1024);
  returned = new Uint8Array(1024);

  /** The slot of `user`, created in `arm` on first sight. */
  slot(user: string, arm: number, timestamp: number, line: number): number {
    const known = this.index.get(user);
    if (known !== undefined) return known;
    if (this.size === this.arm.length) this.grow();
    const u = this.size++;
    this.index.set(user, u);
    this.arm[u] = arm;
    this.firstTimestamp[u] = timestamp;
    this.firstLine[u] = line;
    return u;
  }

  private grow(): void {
    const n = this.arm.length * 2;
    const widen = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.arm = widen(this.arm, (k) => new Uint8Array(k));
    this.returned = widen(this.returned, (k) => new Uint8Array(k));
    this.visits = widen(this.visits, (k) => new Float64Array(k));
    this.impressions = widen(this.impressions, (k) => new Float64Array(k));
    this.clicks = widen(this.clicks, (k) => new Float64Array(k));
    this.dwell = widen(this.dwell, (k) => new Float64Array(k));
    this.conversions = widen(this.conversions, (k) => new Float64Array(k));
    this.firstTimestamp = widen(this.firstTimestamp, (k) => new Float64Array(k));
    this.firstLine = widen(this.firstLine, (k) => new Float64Array(k));
  }

  /** ArmTotals per arm in `order` (arm indices), users in order of first appearance. */
  toArmTotals(names: string[], order: number[]): ArmTotals[] {
    const counts = new Int32Array(names.length);
    for (let u = 0; u < this.size; u++) counts[this.arm[u]]++;
    return order.map((a) => {
      const n = counts[a];
      const totals = emptyArmTotals(names[a], names[a], n);
      let k = 0;
      for (let u = 0; u < this.size; u++) {
        if (this.arm[u] !== a) continue;
        totals.visits[k] = this.visits[u];
        totals.impressions[k] = this.impressions[u];
        totals.clicks[k] = this.clicks[u];
        totals.dwellSeconds[k] = this.dwell[u];
        totals.conversions[k] = this.conversions[u];
        totals.returned[k] = this.returned[u];
        k++;
      }
      return totals;
    });
  }
}
