/**
 * Peak resident set size of a benchmark run. Training loops are synchronous, so a timer would
 * never fire inside them: callers sample at epoch and phase boundaries instead.
 */
export class RssSampler {
  private peakBytes = 0;

  constructor() {
    this.sample();
  }

  sample(): void {
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage().rss);
  }

  get peakMb(): number {
    return this.peakBytes / 2 ** 20;
  }
}

/** The process's peak RSS so far (kernel-tracked, so it also sees peaks between samples). */
export function processPeakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
